"""What a process pays once: the import, the first sparsemax call and fits.

A softmax fit first (it does not import numba), then the sparsemax calls and
fits, then the same softmax fit again, now on the objective that the
sparsemax fit loaded.

    python benchmarks/bench_first_call.py [--quick] [--repeats 5]

Each figure is measured inside a fresh Python process (median over repeats,
the three settings interleaved): with numba and an empty kernel cache (the
first call after an install: the kernels are compiled), with numba and the
cache that call left (every later process: the kernels are loaded), and with
``SKLEARN_SOFTMAX_NUMBA=0`` (the NumPy path; numba is not imported).
"""

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, markdown_table, median, run_child  # noqa: E402

# Run in the child: times in seconds, printed as JSON on the last line.
CHILD = """
import json, time
start = time.perf_counter()
import sklearn_softmax
from sklearn_softmax.functional import sparsemax
t = {"import": time.perf_counter() - start}
import numpy as np
from sklearn.datasets import load_digits, load_iris
X_digits, y_digits = load_digits(return_X_y=True)
X_digits = (X_digits - X_digits.mean(0)) / (X_digits.std(0) + 1e-12)
start = time.perf_counter()
sklearn_softmax.SoftmaxRegression().fit(X_digits, y_digits)
t["SoftmaxRegression fit, digits, first fit (numba not imported)"] = (
    time.perf_counter() - start
)
X, y = load_iris(return_X_y=True)
for dtype in (np.float64, np.float32):
    Z = np.random.default_rng(0).normal(size=(100, 10)).astype(dtype)
    start = time.perf_counter()
    sparsemax(Z)
    t[f"sparsemax {np.dtype(dtype).name}"] = time.perf_counter() - start
start = time.perf_counter()
sparsemax(Z)
t["sparsemax float32, second call"] = time.perf_counter() - start
X = X.astype(np.float64)
start = time.perf_counter()
sklearn_softmax.SparsemaxRegression().fit(X, y)
t["SparsemaxRegression fit, iris"] = time.perf_counter() - start
start = time.perf_counter()
sklearn_softmax.SparsemaxRegression().fit(X_digits, y_digits)
t["SparsemaxRegression fit, digits (compiled objective)"] = (
    time.perf_counter() - start
)
start = time.perf_counter()
sklearn_softmax.SoftmaxRegression().fit(X_digits, y_digits)
t["SoftmaxRegression fit, digits, after it (compiled objective)"] = (
    time.perf_counter() - start
)
print(json.dumps(t))
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one repeat")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    repeats = 1 if args.quick else args.repeats
    print(machine(), flush=True)
    settings = ("numba, cold cache", "numba, cached", "NumPy path")
    runs = {s: [] for s in settings}
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as cache:
            cold = run_child(CHILD, {"NUMBA_CACHE_DIR": cache})
            cached = run_child(CHILD, {"NUMBA_CACHE_DIR": cache})
        numpy_path = run_child(CHILD, {"SKLEARN_SOFTMAX_NUMBA": "0"})
        for s, t in zip(settings, (cold, cached, numpy_path), strict=True):
            runs[s].append(t)
    steps = list(runs[settings[0]][0])
    rows = [
        [step] + [f"{median([r[step] for r in runs[s]]):.3f}" for s in settings]
        for step in steps
    ]
    print()
    print(f"seconds, each run a fresh process, median of {repeats}")
    print()
    print(markdown_table(["step", *(f"{s} (s)" for s in settings)], rows))


if __name__ == "__main__":
    main()
