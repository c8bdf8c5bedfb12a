"""UMAP benchmark, Python side (Debian python3-umap-learn, numpy): the anchor bench/analysis-umap.mjs runs beside ours.

  /usr/bin/python3 bench/analysis_umap.py prepare VEC N OUT_PREFIX K
  /usr/bin/python3 bench/analysis_umap.py umap MATRIX.f32 N D SEED MODE OUT.f32

- `prepare` reads the first N rows of the fastText .vec file VEC and writes OUT_PREFIX.f32 (N×D float32, the matrix
  every tool is given) and OUT_PREFIX-knnK.i32 (N×K int32): the exact cosine top-K of every row, itself excluded, by
  blocked numpy matmul on unit rows — the ground truth of the layouts' neighbourhood preservation. Prints {cols}.
- `umap` runs umap.UMAP(n_neighbors=15, min_dist=0.1, metric='cosine') on the matrix, fit_transform twice in this
  one process: the first call is what a user waits for (numba compiles on first use), the second the same work with
  the functions compiled, so first − second is the JIT share. MODE `seeded` passes random_state=SEED (umap-learn then
  optimises the layout single-threaded); `threaded` passes none (parallel layout, not reproducible). Writes the first
  call's embedding to OUT.f32 and prints JSON {importSeconds, firstSeconds, secondSeconds, threads} (importing umap
  and numba is timed apart: a user waits for it too, once per process).
"""
import json
import sys
import time
import warnings

import numpy as np

BLOCK = 2048


def load_vec(path, n):
    """The first n vectors of a word2vec-text / fastText .vec file, float32."""
    with open(path, encoding='utf8', errors='replace') as f:
        _, cols = map(int, f.readline().split())
        x = np.empty((n, cols), dtype=np.float32)
        for i in range(n):
            parts = f.readline().rstrip().split(' ')
            x[i] = np.asarray(parts[-cols:], dtype=np.float32)
    return x


def exact_cosine_knn(x, k):
    """All-pairs cosine top-k of the rows of x, each row itself excluded, best first."""
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    unit = x / np.where(norms > 0, norms, 1)
    n = x.shape[0]
    out = np.empty((n, k), dtype=np.int32)
    for start in range(0, n, BLOCK):
        scores = unit[start : start + BLOCK] @ unit.T
        rows = np.arange(scores.shape[0])
        scores[rows, start + rows] = -np.inf
        part = np.argpartition(-scores, k, axis=1)[:, :k]
        best = np.take_along_axis(scores, part, axis=1)
        order = np.argsort(-best, axis=1, kind='stable')
        out[start : start + BLOCK] = np.take_along_axis(part, order, axis=1)
    return out


def prepare(vec, n, prefix, k):
    x = load_vec(vec, n)
    x.tofile(prefix + '.f32')
    exact_cosine_knn(x, k).tofile(f'{prefix}-knn{k}.i32')
    print(json.dumps({'cols': int(x.shape[1])}))


def run_umap(matrix, n, d, seed, mode, out):
    warnings.filterwarnings('ignore')
    started = time.perf_counter()
    import numba
    import umap

    import_seconds = time.perf_counter() - started

    x = np.fromfile(matrix, dtype=np.float32, count=n * d).reshape(n, d)
    kwargs = dict(n_neighbors=15, min_dist=0.1, metric='cosine')
    if mode == 'seeded':
        kwargs['random_state'] = seed
    times = []
    first = None
    for _ in range(2):
        started = time.perf_counter()
        embedding = umap.UMAP(**kwargs).fit_transform(x)
        times.append(time.perf_counter() - started)
        if first is None:
            first = embedding
    np.ascontiguousarray(first, dtype=np.float32).tofile(out)
    print(json.dumps({'importSeconds': import_seconds, 'firstSeconds': times[0], 'secondSeconds': times[1],
                      'threads': numba.config.NUMBA_NUM_THREADS}))


if __name__ == '__main__':
    if sys.argv[1] == 'prepare':
        prepare(sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]))
    elif sys.argv[1] == 'umap':
        run_umap(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], sys.argv[7])
    else:
        raise SystemExit(__doc__)
