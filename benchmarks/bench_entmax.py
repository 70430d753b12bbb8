"""alpha-entmax: the map against softmax, fits against sparsemax's.

    python benchmarks/bench_entmax.py [--quick] [--repeats 5] [--data-dir DIR]

1. Maps: 2M float64 logits (n_rows x K, K in {10, 100, 1,000}), normal with
   sd 0.1 (large supports) and 3; ``entmax`` at several alpha against our
   ``softmax`` in the same run (ratios), and the NumPy path at alpha = 1.5
   (what an install without numba runs). The issue's targets: alpha = 1.5 at
   most 1.5x softmax, other alpha at most 3x.
2. Fits: ``EntmaxRegression`` / ``MultilabelEntmaxRegression`` at alpha in
   {1.25, 1.5, 1.75} against the sparsemax estimator on the same data
   (target: at most 2x), default settings, with L-BFGS iterations: digits, a
   dense 20,000 x 100 problem with 10 classes, the sparse text-like
   multilabel stand-in, and MULAN scene / yeast / enron with ``--data-dir``.

Interleaved repeats (the order rotates), medians; the machine line has the
load average.
"""

import argparse
import sys
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits, make_classification
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import (  # noqa: E402
    interleaved_times,
    machine,
    markdown_table,
    median,
    numpy_path,
)
from synthetic import sparse_multilabel_problem  # noqa: E402

from sklearn_softmax import (  # noqa: E402
    EntmaxRegression,
    MultilabelEntmaxRegression,
    MultilabelSparsemaxRegression,
    SparsemaxRegression,
)
from sklearn_softmax.functional import entmax, entmax_threshold, softmax  # noqa: E402

ALPHAS_MAP = (1.25, 1.5, 1.75, 2.5, 3.0)
ALPHAS_FIT = (1.25, 1.5, 1.75)


def numpy_entmax(Z):
    with numpy_path():
        return entmax(Z, 1.5)


def map_rows(size, repeats):
    rows = []
    for K in (10, 100, 1_000):
        for spread in (0.1, 3.0):
            Z = np.random.default_rng(K).normal(scale=spread, size=(size // K, K))
            functions = {"softmax": lambda Z=Z: softmax(Z)}
            for alpha in ALPHAS_MAP:
                functions[alpha] = lambda Z=Z, a=alpha: entmax(Z, a)
            functions["numpy"] = lambda Z=Z: numpy_entmax(Z)
            times, results = interleaved_times(functions, repeats)
            np.testing.assert_allclose(results["numpy"], results[1.5], atol=1e-13)
            t = {name: median(values) for name, values in times.items()}
            support = float(np.mean(entmax_threshold(Z, 1.5)[1]))
            row = [K, spread, f"{support:.1f}", f"{1e3 * t['softmax']:.1f}"]
            row += [f"**{t[a] / t['softmax']:.2f}**" for a in ALPHAS_MAP]
            row.append(f"{t['numpy'] / t['softmax']:.2f}")
            print("  " + " | ".join(str(c) for c in row), flush=True)
            rows.append(row)
    header = ["K", "logit sd", "support (1.5)", "softmax (ms)"]
    header += [f"alpha {a:g} / softmax" for a in ALPHAS_MAP]
    header.append("NumPy path 1.5 / softmax")
    return header, rows


def fit_problems(data_dir, quick):
    X, y = load_digits(return_X_y=True)
    yield "digits (1,797 x 64, 10 classes)", StandardScaler().fit_transform(X), y, False
    if not quick:
        X, y = make_classification(
            n_samples=20_000, n_features=100, n_informative=30, n_classes=10,
            random_state=0,
        )
        yield "dense 20,000 x 100, 10 classes", X, y, False
        X, Y = sparse_multilabel_problem()
        yield f"sparse stand-in ({X.shape[0]:,} x {X.shape[1]:,}, CSR)", X, Y, True
    if data_dir is None:
        return
    from multilabel_data import find_datasets, load, preprocess

    available = find_datasets(Path(data_dir))
    for name in ["scene"] if quick else ["scene", "yeast", "enron"]:
        if name in available:
            data = load(available[name])
            X, _ = preprocess(data)
            yield f"MULAN {name} (train, {X.shape[1]} features)", X, data.train.Y, True


def fit_rows(data_dir, quick, repeats):
    rows = []
    for label, X, y, multilabel in fit_problems(data_dir, quick):
        Sparse = MultilabelSparsemaxRegression if multilabel else SparsemaxRegression
        Entmax = MultilabelEntmaxRegression if multilabel else EntmaxRegression
        models = {"sparsemax": Sparse()}
        for alpha in ALPHAS_FIT:
            models[alpha] = Entmax(alpha=alpha)
        functions = {
            name: (lambda m=m, X=X, y=y: m.fit(X, y)) for name, m in models.items()
        }
        times, fitted = interleaved_times(functions, repeats)
        t = {name: median(values) for name, values in times.items()}
        row = [label, f"{t['sparsemax']:.3f}", fitted["sparsemax"].n_iter_[0]]
        for alpha in ALPHAS_FIT:
            row += [f"**{t[alpha] / t['sparsemax']:.2f}**", fitted[alpha].n_iter_[0]]
        print("  " + " | ".join(str(c) for c in row), flush=True)
        rows.append(row)
    header = ["data", "sparsemax fit (s)", "iterations"]
    for alpha in ALPHAS_FIT:
        header += [f"alpha {alpha:g} / sparsemax", "iterations"]
    return header, rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small, 1 repeat")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args(argv)
    size = 200_000 if args.quick else 2_000_000
    repeats = 1 if args.quick else args.repeats
    for alpha in ALPHAS_MAP:  # load the compiled kernels outside the timings
        entmax(np.zeros((2, 3)), alpha)
    EntmaxRegression().fit(np.eye(4), [0, 1, 2, 0])
    with threadpool_limits(limits=args.threads):
        print(machine(), flush=True)
        map_table = map_rows(size, repeats)
        fit_table = fit_rows(args.data_dir, args.quick, repeats)
    print()
    print(f"Maps: {size:,} logits per array, float64, {repeats} interleaved repeats, "
          "medians.")
    print()
    print(markdown_table(*map_table))
    print()
    print(f"Fits at default settings, {repeats} interleaved repeats, medians.")
    print()
    print(markdown_table(*fit_table))


if __name__ == "__main__":
    main()
