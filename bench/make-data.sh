#!/bin/sh
# Builds the load benchmark's inputs into bench/data/ (git-ignored). Idempotent: existing outputs are kept.
#
#   sh bench/make-data.sh            (about 2–4 minutes on 2 cores; ~2.2 GB on disk)
#
# 1. ~80k×100 word vectors trained by fastText (skip-gram, 1 epoch) on ../shared/data/corpus/corpus.txt.xz.
#    minCount 5 gives 77,980 corpus words plus fastText's "</s>" = 77,981 rows (counted beforehand: minCount 4
#    gives 92k, 6 gives 69k). Subwords are off (-minn 0 -maxn 0): they only slow training and do not change the
#    shape of the .vec; the benchmark reads the word vectors, not the model.
# 2. gensim re-writes fastText's .vec as word2vec text and binary (save_word2vec_format binary=False/True), so gensim
#    (the anchor) and we read byte-identical files written by the anchor itself.
# 3. A ~1 GB float32 .npy (2,600,000×100) written in chunks through numpy's open_memmap, and the same matrix as a
#    ~1 GB .safetensors written by the safetensors library (a venv in bench/data/venv), for the header-only inspect timing.
set -eu
cd "$(dirname "$0")"
DATA=data
CORPUS=${CORPUS:-../../shared/data/corpus/corpus.txt.xz}
PY=/usr/bin/python3            # Debian python3-gensim and numpy
MIN_COUNT=5
mkdir -p "$DATA"

# The anchors come from Debian; safetensors has no Debian package, so it goes into a venv of the benchmark's own
# (pip reaches the machine's wheel index; set ST_PY to a Python that already has safetensors to skip this).
if ! command -v fasttext >/dev/null || ! "$PY" -c 'import gensim, numpy' 2>/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q fasttext python3-gensim python3-numpy xz-utils
fi
if [ -z "${ST_PY:-}" ]; then
  ST_PY="$DATA/venv/bin/python"
  if ! "$ST_PY" -c 'import safetensors.numpy' 2>/dev/null; then
    # A local wheel index, where the machine has one, avoids pip's retries against an unreachable default index.
    LOCAL_INDEX=""
    [ -d /opt/pypi/simple ] && LOCAL_INDEX="--index-url file:///opt/pypi/simple"
    python3 -m venv "$DATA/venv" && "$DATA/venv/bin/pip" install -q $LOCAL_INDEX safetensors numpy
  fi
fi

if [ ! -s "$DATA/fasttext.vec" ]; then
  xz -dc "$CORPUS" > "$DATA/corpus.txt"
  fasttext skipgram -input "$DATA/corpus.txt" -output "$DATA/fasttext" -dim 100 -epoch 1 -thread 2 \
    -minCount "$MIN_COUNT" -minn 0 -maxn 0 -seed 1 -verbose 1
  rm -f "$DATA/fasttext.bin" "$DATA/corpus.txt"
fi

if [ ! -s "$DATA/vectors.bin" ] || [ ! -s "$DATA/vectors.txt" ]; then
  "$PY" - "$DATA" <<'EOF'
import sys
from gensim.models import KeyedVectors
data = sys.argv[1]
kv = KeyedVectors.load_word2vec_format(f'{data}/fasttext.vec', binary=False)
kv.save_word2vec_format(f'{data}/vectors.txt', binary=False)
kv.save_word2vec_format(f'{data}/vectors.bin', binary=True)
print(f'word2vec text and binary: {len(kv.index_to_key)} x {kv.vector_size}')
EOF
fi

BIG_ROWS=2600000 # ×100 float32 = 1.04 GB: "a 1 GB file" in the issue's words
if [ ! -s "$DATA/big.npy" ]; then
  "$PY" - "$DATA/big.npy" "$BIG_ROWS" <<'EOF'
import sys
import numpy as np
path, rows = sys.argv[1], int(sys.argv[2])
out = np.lib.format.open_memmap(path + '.part', mode='w+', dtype='<f4', shape=(rows, 100))
rng = np.random.default_rng(1)
for start in range(0, rows, 100_000):  # 40 MB at a time: never the whole matrix in RAM
    stop = min(rows, start + 100_000)
    out[start:stop] = rng.standard_normal((stop - start, 100), dtype=np.float32)
out.flush()
del out
import os
os.replace(path + '.part', path)
print(f'{path}: {rows} x 100 float32')
EOF
fi

if [ ! -s "$DATA/big.safetensors" ]; then
  # safetensors' numpy writer serialises from the array's bytes: the memmap is paged in once (~1 GB transient).
  "$ST_PY" - "$DATA/big.npy" "$DATA/big.safetensors" <<'EOF'
import os
import sys
import numpy as np
from safetensors.numpy import save_file
src, dst = sys.argv[1], sys.argv[2]
matrix = np.load(src, mmap_mode='r')
save_file({'model.embed_tokens.weight': matrix}, dst + '.part', metadata={'format': 'np'})
os.replace(dst + '.part', dst)
print(f'{dst}: {matrix.shape[0]} x {matrix.shape[1]} float32')
EOF
fi

ls -l "$DATA"
