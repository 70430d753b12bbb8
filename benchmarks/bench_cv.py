"""The CV estimators against GridSearchCV over the same grid, in one run.

    python benchmarks/bench_cv.py [--quick] [--data-dir ../shared/data/multilabel]

(a) dense multiclass, n=20,000 x 100, 10 classes, 10 Cs x 5 temperatures:
    SoftmaxRegressionCV at its default scoring (accuracy) and with log-loss,
    SparsemaxRegressionCV at its default scoring;
(b) the MULAN scene dataset (train split, standardized), 10 Cs x 5
    temperatures x 5 thresholds, default scoring (micro-F1).
Default settings of both sides (tol, max_iter), same cv (5-fold), same n_jobs
(1). Reported: wall times and their ratio, L-BFGS iterations of the fold fits
and ConvergenceWarnings of each, the chosen parameters and the best CV score
of each. ``--quick``: n=2,000, 4 Cs, 2 temperatures."""

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import (  # noqa: E402
    counting_convergence_warnings,
    machine,
    markdown_table,
)
from bench_fit import linear_problem  # noqa: E402

from sklearn_softmax import (  # noqa: E402
    MultilabelSparsemaxRegression,
    MultilabelSparsemaxRegressionCV,
    SoftmaxRegression,
    SoftmaxRegressionCV,
    SparsemaxRegression,
    SparsemaxRegressionCV,
)


def counting(Base):
    """``Base`` that records the L-BFGS iterations of every fit it makes."""

    class Counting(Base):
        iterations = []

        def fit(self, X, y, **fit_params):
            super().fit(X, y, **fit_params)
            Counting.iterations.append(int(self.n_iter_[0]))
            return self

    Counting.__name__ = Base.__name__
    return Counting


def timed_fit(estimator, X, y):
    start = time.perf_counter()
    _, n_warnings = counting_convergence_warnings(lambda: estimator.fit(X, y))
    return time.perf_counter() - start, n_warnings


def choice(params):
    return ", ".join(f"{k}={float(v):.4g}" for k, v in sorted(params.items()))


def compare(name, Base, CV, X, y, grid, scoring, cv, grid_scoring=None):
    """``scoring`` of the CV estimator; GridSearchCV's is ``grid_scoring`` if
    given (the CV estimator's default where the base estimator's ``score``
    differs: micro-F1 against subset accuracy for label sets)."""
    Counting = counting(Base)
    search = GridSearchCV(Counting(), grid, scoring=grid_scoring or scoring, cv=cv)
    t_grid, warnings_grid = timed_fit(search, X, y)
    cv_params = {
        "Cs": grid["C"],
        "temperatures": grid["temperature"],
        **({"thresholds": grid["threshold"]} if "threshold" in grid else {}),
    }
    fitted = CV(scoring=scoring, cv=cv, **cv_params)
    t_cv, warnings_cv = timed_fit(fitted, X, y)
    chosen = {k: getattr(fitted, f"{k}_") for k in grid}
    row = [
        name,
        f"{t_grid:.1f}",
        f"{t_cv:.1f}",
        f"**{t_cv / t_grid:.3f}**",
        # The grid's last fit is its refit; the CV estimator's n_iter_ holds
        # its fold fits only.
        f"{sum(Counting.iterations[:-1])} / {int(fitted.n_iter_.sum())}",
        f"{warnings_grid} / {warnings_cv}",
        choice(search.best_params_),
        choice(chosen),
        f"{search.best_score_:.5f} / {fitted.best_score_:.5f}",
    ]
    print("  " + " | ".join(row), flush=True)
    return row


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--data-dir", default=None, help="MULAN datasets (scene)")
    args = parser.parse_args(argv)
    n = 2_000 if args.quick else 20_000
    Cs = list(np.logspace(-3, 2, 4 if args.quick else 10))
    temperatures = [0.5, 1.0] if args.quick else [0.25, 0.5, 1.0, 2.0, 4.0]
    print(machine())
    print("5-fold CV, n_jobs=1, default tol and max_iter\n", flush=True)
    X, y = linear_problem(n, 100, 10)
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    grid = {"C": Cs, "temperature": temperatures}
    rows = [
        compare(
            f"(a) softmax {n}x100, K=10, accuracy (default)",
            SoftmaxRegression,
            SoftmaxRegressionCV,
            X,
            y,
            grid,
            None,
            cv,
        ),
        compare(
            f"(a) softmax {n}x100, K=10, log-loss",
            SoftmaxRegression,
            SoftmaxRegressionCV,
            X,
            y,
            grid,
            "neg_log_loss",
            cv,
        ),
        compare(
            f"(a) sparsemax {n}x100, K=10, accuracy (default)",
            SparsemaxRegression,
            SparsemaxRegressionCV,
            X,
            y,
            grid,
            None,
            cv,
        ),
    ]
    if args.data_dir:
        from sklearn_softmax.datasets import load_mulan

        data = load_mulan(Path(args.data_dir) / "scene")
        X = StandardScaler().fit_transform(data.train.X)
        Y = data.train.Y
        if args.quick:
            X, Y = X[:400], Y[:400]
        thresholds = [0.0, 0.05] if args.quick else [0.0, 0.05, 0.1, 0.2, 0.3]
        rows.append(
            compare(
                "(b) scene, sparsemax, micro-F1 (default)",
                MultilabelSparsemaxRegression,
                MultilabelSparsemaxRegressionCV,
                X,
                Y,
                {**grid, "threshold": thresholds},
                None,
                KFold(5, shuffle=True, random_state=0),
                grid_scoring="f1_micro",
            )
        )
    header = [
        "problem",
        "GridSearchCV (s)",
        "CV estimator (s)",
        "ratio",
        "L-BFGS iterations of the folds (grid / CV)",
        "ConvergenceWarnings (grid / CV)",
        "GridSearchCV choice",
        "CV estimator choice",
        "best score (grid / CV)",
    ]
    print()
    print(markdown_table(header, rows))


if __name__ == "__main__":
    main()
