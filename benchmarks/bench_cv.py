"""The CV estimators against GridSearchCV over the same grid, in one run.

    python benchmarks/bench_cv.py [--quick] [--data-dir ../shared/data/multilabel]

(a) dense multiclass, n=20,000 x 100, 10 classes, 10 Cs x 5 temperatures,
    scored by log-loss (SoftmaxRegressionCV) and accuracy (SparsemaxRegressionCV);
(b) the MULAN scene dataset (train split), 10 Cs x 5 temperatures x 5
    thresholds, micro-F1.
Same cv (5-fold), same n_jobs (1), same tol and max_iter. Reported: wall
times and their ratio, L-BFGS iterations in total, the chosen parameters and
best CV score of each. ``--quick``: n=2,000, 4 Cs, 2 temperatures.
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import machine, markdown_table  # noqa: E402
from bench_fit import linear_problem  # noqa: E402

from sklearn_softmax import (  # noqa: E402
    MultilabelSparsemaxRegression,
    MultilabelSparsemaxRegressionCV,
    SoftmaxRegression,
    SoftmaxRegressionCV,
    SparsemaxRegression,
    SparsemaxRegressionCV,
)


def compare(name, Base, CV, X, y, grid, scoring, cv, settings):
    keys = sorted(grid)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.perf_counter()
        search = GridSearchCV(Base(**settings), grid, scoring=scoring, cv=cv).fit(X, y)
        t_grid = time.perf_counter() - start
        cv_params = {
            "Cs": grid["C"],
            "temperatures": grid["temperature"],
            **({"thresholds": grid["threshold"]} if "threshold" in grid else {}),
        }
        start = time.perf_counter()
        fitted = CV(scoring=scoring, cv=cv, **cv_params, **settings).fit(X, y)
        t_cv = time.perf_counter() - start
    chosen_cv = {k: getattr(fitted, f"{k}_") for k in keys}
    row = [
        name,
        f"{t_grid:.1f}",
        f"{t_cv:.1f}",
        f"**{t_cv / t_grid:.3f}**",
        f"{int(fitted.n_iter_.sum())}",
        str(search.best_params_),
        str(chosen_cv),
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
    settings = dict(tol=1e-4, max_iter=100)
    print(machine())
    print(f"5-fold CV, n_jobs=1, tol={settings['tol']}, max_iter=100\n", flush=True)
    X, y = linear_problem(n, 100, 10)
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    grid = {"C": Cs, "temperature": temperatures}
    rows = [
        compare(
            f"(a) softmax {n}x100, K=10, log-loss",
            SoftmaxRegression,
            SoftmaxRegressionCV,
            X,
            y,
            grid,
            "neg_log_loss",
            cv,
            settings,
        ),
        compare(
            f"(a) sparsemax {n}x100, K=10, accuracy",
            SparsemaxRegression,
            SparsemaxRegressionCV,
            X,
            y,
            grid,
            "accuracy",
            cv,
            settings,
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
                "(b) scene, sparsemax, micro-F1",
                MultilabelSparsemaxRegression,
                MultilabelSparsemaxRegressionCV,
                X,
                Y,
                {**grid, "threshold": thresholds},
                "f1_micro",
                KFold(5, shuffle=True, random_state=0),
                settings,
            )
        )
    header = [
        "problem",
        "GridSearchCV (s)",
        "CV estimator (s)",
        "ratio",
        "L-BFGS iterations (CV estimator)",
        "GridSearchCV choice",
        "CV estimator choice",
        "best score (grid / CV)",
    ]
    print()
    print(markdown_table(header, rows))


if __name__ == "__main__":
    main()
