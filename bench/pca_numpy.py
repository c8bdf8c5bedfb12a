"""PCA benchmark, Python side (Debian python3-numpy, python3-sklearn): makes the matrices and times the anchors.

  /usr/bin/python3 bench/pca_numpy.py make FILE.npy ROWS COLS KIND   KIND: embedding | isotropic | lowrank
  /usr/bin/python3 bench/pca_numpy.py time FILE COMPONENTS.f32 K FIT_ROWS

`time` prints one JSON line: seconds for sklearn's PCA as a user calls it (svd_solver='auto' on all rows), for
sklearn's randomized PCA fitted on a FIT_ROWS sample then applied to all rows (the task our pca() does), and for
numpy's exact route on the same sample (float64 covariance, eigh, projection); and the share of the total
variance the axes in COMPONENTS.f32 (ours, k × cols float32) capture on all rows, next to the exact top-k share.
"""
import json
import sys
import time

import numpy as np

SEED = 20241121


def make(path, rows, cols, kind):
    """A seeded float32 matrix. embedding: variance ∝ 1/(i+1) along random orthogonal axes plus an offset, the
    slowly decaying spectrum trained embeddings have; isotropic: plain noise (the solver's worst case);
    lowrank: 64 decaying directions plus noise, cheap to make at 128k × 4096."""
    rng = np.random.default_rng(SEED)
    if kind == 'embedding':
        basis, _ = np.linalg.qr(rng.standard_normal((cols, cols)))
        spread = 1 / np.sqrt(np.arange(1, cols + 1))
        x = (rng.standard_normal((rows, cols)) * spread) @ basis.T + rng.uniform(-0.2, 0.2, cols)
    elif kind == 'isotropic':
        x = rng.standard_normal((rows, cols), dtype=np.float32)
    elif kind == 'lowrank':
        rank = 64
        directions = rng.standard_normal((rank, cols)).astype(np.float32) / np.sqrt(cols)
        scores = rng.standard_normal((rows, rank), dtype=np.float32) * (4 / np.sqrt(np.arange(1, rank + 1, dtype=np.float32)))
        x = scores @ directions
        x += 0.3 * rng.standard_normal((rows, cols), dtype=np.float32)
    else:
        raise SystemExit(f'unknown kind {kind}')
    np.save(path, np.ascontiguousarray(x, dtype=np.float32))


def load(path):
    if path.endswith('.npy'):
        return np.load(path)
    from gensim.models import KeyedVectors

    return KeyedVectors.load_word2vec_format(path, binary=True).vectors.astype(np.float32)


def captured_share(x, mean, axes, chunk=20_000):
    """Σ‖(x − mean)·axesᵀ‖² / Σ‖x − mean‖² over all rows, in float64 chunks."""
    along = total = 0.0
    for start in range(0, x.shape[0], chunk):
        centred = x[start : start + chunk].astype(np.float64) - mean
        along += float(np.sum((centred @ axes.T) ** 2))
        total += float(np.sum(centred**2))
    return along / total


def timed(run):
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def time_anchors(path, components_path, k, fit_rows):
    from sklearn.decomposition import PCA

    x = load(path)
    rows, cols = x.shape
    out = {'rows': rows, 'cols': cols}
    out['sklearnAutoSeconds'], _ = timed(lambda: PCA(n_components=k, random_state=0).fit_transform(x))
    sample = np.sort(np.random.default_rng(SEED).choice(rows, size=min(fit_rows, rows), replace=False))
    fit = x[sample]

    def sampled_randomized():
        model = PCA(n_components=k, svd_solver='randomized', random_state=0).fit(fit)
        return model.transform(x)

    out['sklearnSampledSeconds'], _ = timed(sampled_randomized)

    def sampled_exact():
        f64 = fit.astype(np.float64)
        mean = f64.mean(axis=0)
        centred = f64 - mean
        _, vectors = np.linalg.eigh(centred.T @ centred)
        axes = vectors[:, ::-1][:, :k].T
        return (x - mean.astype(np.float32)) @ axes.T.astype(np.float32)

    out['numpySampledSeconds'], _ = timed(sampled_exact)

    # Quality on all rows: our axes against the exact top-k (eigh of the full covariance when it is affordable).
    mean = x.astype(np.float64).mean(axis=0)
    ours = np.fromfile(components_path, dtype=np.float32).reshape(k, cols).astype(np.float64)
    out['oursCapturedShare'] = captured_share(x, mean, ours)
    if cols <= 1024:
        covariance = np.zeros((cols, cols))
        for start in range(0, rows, 20_000):
            centred = x[start : start + 20_000].astype(np.float64) - mean
            covariance += centred.T @ centred
        values = np.linalg.eigvalsh(covariance)[::-1]
        out['exactCapturedShare'] = float(values[:k].sum() / values.sum())
    print(json.dumps(out))


if __name__ == '__main__':
    if sys.argv[1] == 'make':
        make(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    elif sys.argv[1] == 'time':
        time_anchors(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    else:
        raise SystemExit(__doc__)
