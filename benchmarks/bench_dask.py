"""In-memory fit against a fit on a dask.distributed LocalCluster (2 workers).

    python benchmarks/bench_dask.py [--quick] [--n 500000]

The same data (dense float64, d=50, K=5) is fitted in memory with NumPy and on
a LocalCluster of 2 worker processes (1 thread each) with the data generated
and persisted on the workers. Reported: wall time, L-BFGS iterations, the
extra time per iteration, the difference of the
coefficients, and the peak of the client's Python allocations during the fit
(tracemalloc), against the size of X.
"""

import argparse
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import machine, markdown_table  # noqa: E402

from sklearn_softmax import SoftmaxRegression, SparsemaxRegression  # noqa: E402


def make_data(da, n, d, k, chunk):
    rng = da.random.default_rng(0)
    X = rng.standard_normal((n, d), chunks=(chunk, d))
    W = np.random.default_rng(1).standard_normal((d, k))
    y = (X @ W + rng.gumbel(size=(n, k), chunks=(chunk, k))).argmax(axis=1)
    return X, y


def timed_fit(estimator, X, y, **kw):
    tracemalloc.start()
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        estimator.fit(X, y, **kw)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak


def main(argv=None):
    import dask.array as da
    import distributed

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="n = 20,000")
    parser.add_argument("--n", type=int, default=500_000)
    args = parser.parse_args(argv)
    n = 20_000 if args.quick else args.n
    d, k, chunk = 50, 5, max(n // 8, 1)
    settings = dict(C=1.0, tol=1e-6, max_iter=50)

    print(machine(), flush=True)
    rows = []
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=":0",
        ) as cluster,
        distributed.Client(cluster),
    ):
        X_d, y_d = make_data(da, n, d, k, chunk)
        X_d, y_d = X_d.persist(), y_d.persist()
        X, y = X_d.compute(), y_d.compute()  # the in-memory copy, for the peer
        for Est in (SoftmaxRegression, SparsemaxRegression):
            memory = Est(**settings)
            t_mem, peak_mem = timed_fit(memory, X, y)
            on_cluster = Est(**settings)
            t_dask, peak_dask = timed_fit(on_cluster, X_d, y_d, classes=np.arange(k))
            it_mem, it_dask = memory.n_iter_[0], on_cluster.n_iter_[0]
            row = [
                Est.__name__,
                f"{n:,} x {d}, {X.nbytes / 2**20:.0f} MB",
                f"{t_mem:.2f}",
                f"{t_dask:.2f}",
                f"{t_dask / t_mem:.1f}",
                f"{it_mem} / {it_dask}",
                f"{1e3 * (t_dask - t_mem) / max(it_dask, 1):.0f}",
                f"{np.abs(on_cluster.coef_ - memory.coef_).max():.1e}",
                f"{peak_mem / 2**20:.1f}",
                f"{peak_dask / 2**20:.1f}",
            ]
            print("  " + " | ".join(row), flush=True)
            rows.append(row)
    header = [
        "estimator",
        "data",
        "in memory (s)",
        "LocalCluster, 2 workers (s)",
        "ratio",
        "iterations mem / dask",
        "extra per iteration (ms)",
        "max |coef diff|",
        "client peak, in memory (MB)",
        "client peak, dask (MB)",
    ]
    print()
    print(f"K={k}, C=1, tol=1e-6, max_iter=50; {n // chunk} blocks of {chunk:,} rows")
    print()
    print(markdown_table(header, rows))


if __name__ == "__main__":
    main()
