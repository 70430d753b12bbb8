"""Peak memory of fit as the number of samples grows.

    python benchmarks/bench_memory.py [--quick] [--n 10000 100000 1000000]

Dense float32 X with d=20 features and K=200 classes (the n x K logits alone
would take n * 1.6 kB in float64). Each fit runs in a fresh subprocess, which
reports its peak RSS (``ru_maxrss``), the RSS before the fit (data, imports
and compiled kernels loaded by a fit on k rows),
and tracemalloc's peak of the allocations made during fit (NumPy reports its
buffers to tracemalloc). ``max_iter`` is small: memory does not depend on it.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, markdown_table, run_child  # noqa: E402

CHILD = r"""
import json, resource, time, tracemalloc, warnings
import numpy as np
from sklearn_softmax import {estimator}

n, d, k = {n}, 20, 200
rng = np.random.default_rng(0)
X = rng.standard_normal((n, d), dtype=np.float32)
y = rng.integers(k, size=n)  # memory does not depend on the labels' meaning
y[: k] = np.arange(k)  # every class present
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    # Imports and compiled kernels (numba, for sparsemax) are loaded outside
    # the measurement: a process pays them once, whatever n.
    {estimator}(max_iter=1).fit(X[:k], y[:k])
base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
start = time.perf_counter()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    {estimator}(max_iter=3).fit(X, y)
seconds = time.perf_counter() - start
_, peak = tracemalloc.get_traced_memory()
print(json.dumps(dict(
    base_rss_mb=base_rss / 1024,
    peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    traced_peak_mb=peak / 2**20,
    data_mb=(X.nbytes + y.nbytes) / 2**20,
    seconds=seconds,
)))
"""


def measure(n, estimator):
    return run_child(CHILD.format(estimator=estimator, n=n))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="n = 10,000 and 50,000")
    parser.add_argument(
        "--n", type=int, nargs="*", default=[10_000, 100_000, 1_000_000]
    )
    args = parser.parse_args(argv)
    sizes = [10_000, 50_000] if args.quick else args.n
    print(machine(), flush=True)
    rows = []
    for estimator in ("SoftmaxRegression", "SparsemaxRegression"):
        for n in sizes:
            r = measure(n, estimator)
            logits_mb = n * 200 * 8 / 2**20
            row = [
                estimator,
                f"{n:,}",
                f"{r['data_mb']:.0f}",
                f"{logits_mb:.0f}",
                f"{r['traced_peak_mb']:.0f}",
                f"{r['base_rss_mb']:.0f}",
                f"{r['peak_rss_mb']:.0f}",
                f"{r['seconds']:.1f}",
            ]
            print("  " + " | ".join(row), flush=True)
            rows.append(row)
    header = [
        "estimator",
        "n",
        "X + y (MB)",
        "n x K float64 (MB)",
        "fit allocations, peak (MB)",
        "RSS before fit (MB)",
        "peak RSS (MB)",
        "fit, 3 iterations (s)",
    ]
    print()
    print("d=20, K=200, float32 X; each row a fresh process")
    print()
    print(markdown_table(header, rows))


if __name__ == "__main__":
    main()
