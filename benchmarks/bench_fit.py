"""Fit time of SoftmaxRegression against LogisticRegression at equal work.

    python benchmarks/bench_fit.py [--quick] [--repeats 5] [--threads 2]

Both estimators minimize the same objective (for 3+ classes) from zero with
the same C, tol and max_iter; the fits are interleaved and repeated, with the
BLAS threads pinned by threadpoolctl. Reported: median fit times and their
ratio, iterations, the difference of the final objective values (ours minus
LogisticRegression's, computed by one function) and the largest coefficient
difference. SparsemaxRegression's fit on the same data is reported beside,
and both estimators' fits on the NumPy path (without the compiled kernels,
as ``SKLEARN_SOFTMAX_NUMBA=0``).

Problems: (a) dense n=50,000, d=200, K=10; (b) sparse CSR n=50,000,
d=20,000, 0.5% density, K=20; (c) problem (a) in float32; (d) the small
built-in iris and digits data (standardized, 30 repeats), where the fixed cost
of a fit shows; (e) the multilabel estimators at their defaults on a sparse
text-like stand-in (benchmarks/synthetic.py: 1,100 x 1,000 sparse binary
features with a long tail, 50 labels, sets of 1-5, scaled without centering)
against OneVsRestClassifier(LogisticRegression(C)), C = 0.01 and 1; (f) with
``--data-dir``, the same on the MULAN scene, emotions and yeast training
splits, standardized (10 repeats).
"""

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.datasets import load_digits, load_iris
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import (  # noqa: E402
    counting_convergence_warnings,
    interleaved_times,
    machine,
    markdown_table,
    median,
    numpy_path,
)
from synthetic import sparse_multilabel_problem  # noqa: E402

from sklearn_softmax import (  # noqa: E402
    MultilabelSoftmaxRegression,
    MultilabelSparsemaxRegression,
    SoftmaxRegression,
    SparsemaxRegression,
)
from sklearn_softmax._objective import LinearObjective  # noqa: E402
from sklearn_softmax.datasets import load_mulan  # noqa: E402
from sklearn_softmax.losses import SoftmaxLoss  # noqa: E402


def linear_problem(n, d, k, *, sparse_density=None, seed=0):
    """Labels drawn from a softmax of a random linear model of X."""
    rng = np.random.default_rng(seed)
    if sparse_density is None:
        X = rng.standard_normal((n, d))
    else:
        X = sp.random(n, d, density=sparse_density, format="csr", random_state=seed)
        X.data = rng.standard_normal(X.nnz)
    W = rng.standard_normal((d, k)) * (3 / np.sqrt(max(1, d * (sparse_density or 1))))
    Z = np.asarray(X @ W)
    Z += rng.gumbel(size=Z.shape)  # argmax of logits + Gumbel = softmax sample
    return X, Z.argmax(axis=1)


def objective_value(X, y, coef, intercept, C):
    """The shared objective at (coef, intercept), in float64."""
    k = coef.shape[0]
    obj = LinearObjective(
        SoftmaxLoss(), fit_intercept=True, n_features=X.shape[1], n_outputs=k
    )
    Q = np.eye(k)[y]
    X64 = X.astype(np.float64)
    sw = np.full(len(y), 1 / len(y))
    value, _ = obj.loss_gradient(
        obj.pack(coef.T, intercept), X64, Q, sw, 1 / (C * len(y))
    )
    return value


def on_numpy_path(fit):
    """``fit()`` on the NumPy path (as ``SKLEARN_SOFTMAX_NUMBA=0`` gives)."""

    def fit_on_numpy_path():
        with numpy_path():
            return fit()

    return fit_on_numpy_path


def run(name, X, y, args, repeats=None):
    settings = dict(C=1.0, tol=args.tol, max_iter=args.max_iter)

    fits = {
        "LogisticRegression": lambda: LogisticRegression(**settings).fit(X, y),
        "SoftmaxRegression": lambda: SoftmaxRegression(**settings).fit(X, y),
        "SparsemaxRegression": lambda: SparsemaxRegression(**settings).fit(X, y),
        "SparsemaxRegression, NumPy path": on_numpy_path(
            lambda: SparsemaxRegression(**settings).fit(X, y)
        ),
        "SoftmaxRegression, NumPy path": on_numpy_path(
            lambda: SoftmaxRegression(**settings).fit(X, y)
        ),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        times, models = interleaved_times(fits, repeats or args.repeats)
    lr, ours, sparse = (
        models["LogisticRegression"],
        models["SoftmaxRegression"],
        models["SparsemaxRegression"],
    )
    t_lr, t_ours, t_sparse, t_numpy, t_soft_numpy = (median(times[k]) for k in fits)
    f_lr = objective_value(X, y, lr.coef_, lr.intercept_, 1.0)
    f_ours = objective_value(X, y, ours.coef_, ours.intercept_, 1.0)
    row = [
        name,
        f"{t_lr:.3g}",
        f"{t_ours:.3g}",
        f"**{t_ours / t_lr:.2f}**",
        f"{lr.n_iter_[0]} / {ours.n_iter_[0]}",
        f"{f_ours - f_lr:+.1e}",
        f"{np.abs(ours.coef_ - lr.coef_).max():.1e}",
        f"{t_sparse:.2f} ({sparse.n_iter_[0]} it.)",
        f"{t_sparse / t_ours:.2f}",
        f"{t_sparse / t_numpy:.2f}",
        f"{t_ours / t_soft_numpy:.2f}",
    ]
    print("  " + " | ".join(row), flush=True)
    return row


def run_multilabel(name, C, X, Y, repeats):
    """Multilabel fits at default settings against one-vs-rest logistic
    regression with the same C; ConvergenceWarnings are counted, not hidden."""
    n_warnings = {}

    def counted(name, estimator):
        def fit():
            model, n_warnings[name] = counting_convergence_warnings(
                lambda: estimator().fit(X, Y)
            )
            return model

        return fit

    fits = {
        "OvR": counted("OvR", lambda: OneVsRestClassifier(LogisticRegression(C=C))),
        "softmax": counted("softmax", lambda: MultilabelSoftmaxRegression(C=C)),
        "sparsemax": counted("sparsemax", lambda: MultilabelSparsemaxRegression(C=C)),
        "softmax, NumPy path": on_numpy_path(
            lambda: MultilabelSoftmaxRegression(C=C).fit(X, Y)
        ),
        "sparsemax, NumPy path": on_numpy_path(
            lambda: MultilabelSparsemaxRegression(C=C).fit(X, Y)
        ),
    }
    times, models = interleaved_times(fits, repeats)
    t = {name: median(values) for name, values in times.items()}
    ovr_iter = max(getattr(e, "n_iter_", [0])[0] for e in models["OvR"].estimators_)
    row = [
        f"{name} {X.shape[0]}x{X.shape[1]}, {Y.shape[1]} labels, C={C:g}",
        f"{t['OvR']:.3g}",
        f"{t['softmax']:.3g} ({models['softmax'].n_iter_[0]} it.)",
        f"**{t['softmax'] / t['OvR']:.2f}**",
        f"{t['sparsemax']:.3g} ({models['sparsemax'].n_iter_[0]} it.)",
        f"**{t['sparsemax'] / t['OvR']:.2f}**",
        f"{ovr_iter}",
        f"{n_warnings['OvR']} / {n_warnings['softmax']} / {n_warnings['sparsemax']}",
        f"{t['softmax'] / t['softmax, NumPy path']:.2f}, "
        f"{t['sparsemax'] / t['sparsemax, NumPy path']:.2f}",
    ]
    print("  " + " | ".join(row), flush=True)
    return row


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="n=5,000, one repeat")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2, help="BLAS threads")
    parser.add_argument("--tol", type=float, default=1e-4)
    parser.add_argument("--max-iter", type=int, default=300)
    parser.add_argument(
        "--data-dir", default=None, help="MULAN datasets: adds the rows (f)"
    )
    args = parser.parse_args(argv)
    n = 5_000 if args.quick else 50_000
    if args.quick:
        args.repeats = 1

    # Compile (or load from numba's cache) the kernels of both dtypes outside
    # the timings, and the compiled objective, which softmax fits use once a
    # sparsemax fit has loaded it; the cost of a cold first call is in the
    # docs' performance page.
    # Both: a float64 fit above the size rule runs the objective and never
    # the threshold kernel that small float64 fits (iris) use.
    for dtype in (np.float64, np.float32):
        SparsemaxRegression().fit(np.eye(3, dtype=dtype), [0, 1, 2])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        SparsemaxRegression(max_iter=1).fit(*linear_problem(400, 100, 3))
    with threadpool_limits(limits=args.threads, user_api="blas"):
        print(machine())
        print(
            f"C=1, tol={args.tol}, max_iter={args.max_iter}, {args.repeats} "
            f"interleaved repeats, medians; BLAS pinned to {args.threads} threads\n",
            flush=True,
        )
        rows = []
        X, y = linear_problem(n, 200, 10)
        rows.append(run(f"(a) dense {n}x200, K=10", X, y, args))
        Xs, ys = linear_problem(n, 20_000, 20, sparse_density=0.005, seed=1)
        rows.append(run(f"(b) CSR {n}x20000 0.5%, K=20", Xs, ys, args))
        rows.append(run(f"(c) float32 {n}x200, K=10", X.astype(np.float32), y, args))
        # Small data, where a fit's fixed cost (validation, thread pools) shows:
        # what cross-validation on small datasets repeats many times.
        for name, loader in (("iris", load_iris), ("digits", load_digits)):
            X, y = loader(return_X_y=True)
            X = StandardScaler().fit_transform(X)
            rows.append(run(f"(d) {name} {X.shape[0]}x{X.shape[1]}", X, y, args, 30))
        X, Y = sparse_multilabel_problem()
        multilabel_rows = [
            run_multilabel("(e) sparse multilabel stand-in", C, X, Y, args.repeats)
            for C in (0.01, 1.0)
        ]
        for name in ("scene", "emotions", "yeast") if args.data_dir else ():
            data = load_mulan(Path(args.data_dir) / name)
            X = StandardScaler().fit_transform(data.train.X)
            multilabel_rows += [
                run_multilabel(
                    f"(f) {name}", C, X, data.train.Y, 1 if args.quick else 10
                )
                for C in (0.01, 1.0)
            ]
    header = [
        "problem",
        "LogisticRegression (s)",
        "SoftmaxRegression (s)",
        "ratio",
        "iterations LR / ours",
        "objective ours − LR",
        "max |coef diff|",
        "SparsemaxRegression (s)",
        "sparsemax / softmax",
        "sparsemax compiled / NumPy path",
        "softmax compiled / NumPy path",
    ]
    print()
    print(markdown_table(header, rows))
    print()
    print(
        markdown_table(
            [
                "problem",
                "OvR LogisticRegression (s)",
                "MultilabelSoftmaxRegression (s)",
                "softmax / OvR",
                "MultilabelSparsemaxRegression (s)",
                "sparsemax / OvR",
                "OvR max iterations",
                "ConvergenceWarnings OvR / softmax / sparsemax",
                "compiled / NumPy path (softmax, sparsemax)",
            ],
            multilabel_rows,
        )
    )


if __name__ == "__main__":
    main()
