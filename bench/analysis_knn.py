"""kNN benchmark, Python side (Debian python3-numpy, python3-hnswlib): the anchors bench/analysis-knn.mjs runs beside ours.

  /usr/bin/python3 bench/analysis_knn.py exact VEC N K OUT.i32
  /usr/bin/python3 bench/analysis_knn.py hnsw VEC N K EXACT.i32 M EF_CONSTRUCTION EF [THREADS]

Both read the first N rows of the fastText .vec file VEC (float32) and work on cosine similarity: the rows are
normalised first (not timed), then
- `exact`: all-pairs top-K excluding each row itself, the straightforward numpy way: 2048-row blocks of X @ X.T,
  the diagonal masked, argpartition, then the K kept sorted. Writes the N×K int32 indices to OUT.i32 (the ground
  truth for recall) and prints JSON {seconds}.
- `hnsw`: hnswlib's inner-product index (on normalised rows that is cosine) built with M and EF_CONSTRUCTION,
  then queried for K+1 neighbours of every row at ef=EF, self removed. Prints JSON {buildSeconds, querySeconds,
  cpuSeconds, recall} where recall@K is measured against EXACT.i32 and cpuSeconds is the process's CPU time (all
  threads) for build + query. THREADS defaults to 2 (the machine's cores).
"""
import json
import sys
import time

import numpy as np

BLOCK = 2048


def load(path, n):
    """The first n vectors of a word2vec-text / fastText .vec file, float32, rows normalised to unit length."""
    with open(path, encoding='utf8', errors='replace') as f:
        _, cols = map(int, f.readline().split())
        x = np.empty((n, cols), dtype=np.float32)
        for i in range(n):
            parts = f.readline().rstrip().split(' ')
            x[i] = np.asarray(parts[-cols:], dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1
    return np.ascontiguousarray(x / norms)


def exact(x, k):
    n = x.shape[0]
    out = np.empty((n, k), dtype=np.int32)
    for start in range(0, n, BLOCK):
        stop = min(n, start + BLOCK)
        scores = x[start:stop] @ x.T
        scores[np.arange(stop - start), np.arange(start, stop)] = -np.inf
        part = np.argpartition(-scores, k, axis=1)[:, :k]
        kept = np.take_along_axis(scores, part, axis=1)
        order = np.argsort(-kept, axis=1)
        out[start:stop] = np.take_along_axis(part, order, axis=1)
    return out


def recall(found, truth):
    hits = sum(len(set(a.tolist()) & set(b.tolist())) for a, b in zip(found, truth))
    return hits / truth.size


def main():
    mode, path, n, k = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    x = load(path, n)
    if mode == 'exact':
        started, cpu = time.perf_counter(), time.process_time()
        found = exact(x, k)
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
        found.tofile(sys.argv[5])
        print(json.dumps({'seconds': seconds, 'cpuSeconds': cpu_seconds}))
    elif mode == 'hnsw':
        import hnswlib

        truth = np.fromfile(sys.argv[5], dtype=np.int32).reshape(n, k)
        m, ef_construction, ef = int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
        threads = int(sys.argv[9]) if len(sys.argv) > 9 else -1
        started, cpu = time.perf_counter(), time.process_time()
        index = hnswlib.Index(space='ip', dim=x.shape[1])
        index.init_index(max_elements=n, ef_construction=ef_construction, M=m, random_seed=100)
        index.set_num_threads(threads if threads > 0 else 2)
        index.add_items(x, np.arange(n))
        built = time.perf_counter()
        index.set_ef(ef)
        labels, _ = index.knn_query(x, k=k + 1)
        done, cpu_seconds = time.perf_counter(), time.process_time() - cpu
        # Drop the row itself (usually first), keep K.
        found = np.array([[j for j in row if j != i][:k] for i, row in enumerate(labels)], dtype=np.int64)
        out = {'buildSeconds': built - started, 'querySeconds': done - built, 'cpuSeconds': cpu_seconds, 'recall': recall(found, truth)}
        print(json.dumps(out))
    else:
        raise SystemExit(__doc__)


if __name__ == '__main__':
    main()
