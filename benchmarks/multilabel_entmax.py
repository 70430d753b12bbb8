"""Multilabel quality of the entmax family on MULAN: alpha chosen by CV.

    python benchmarks/multilabel_entmax.py --data-dir ../shared/data/multilabel

On each dataset's train/test split (features standardized on train; sparse
ones scaled without centering): ``MultilabelEntmaxRegressionCV`` over
alpha in {1, 1.5, 2} (softmax, 1.5-entmax, sparsemax), C, temperature and
threshold, micro-F1, ``KFold(shuffle=True, random_state=0)``, refitted on
train and scored once on test. The same search restricted to alpha = 1 and
to alpha = 2 is what ``MultilabelSoftmaxRegressionCV`` and
``MultilabelSparsemaxRegressionCV`` choose on the same grid (both are
``GridSearchCV``'s choice, tested): their rows are read off the one search
and refitted, so each path is fitted once. One-vs-rest logistic regression
(``LogisticRegression`` per label, label predicted when p > p0) is tuned by
``GridSearchCV`` over the same C grid and p0. Default solver settings for
ours (the multilabel ``max_iter=500``), ``LogisticRegression``'s for OvR;
ConvergenceWarnings are counted. A smaller protocol than
``multilabel.py``'s (one weighting, 4 Cs, 3 folds by default) so that enron
(1,123 x 1,001, 53 labels) runs in minutes.
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, KFold

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import (  # noqa: E402
    counting_convergence_warnings,
    machine,
    markdown_table,
)
from multilabel_baselines import ThresholdedOneVsRest  # noqa: E402
from multilabel_data import find_datasets, load, preprocess  # noqa: E402
from multilabel_report import scores  # noqa: E402

from sklearn_softmax import MultilabelEntmaxRegression, MultilabelEntmaxRegressionCV  # noqa: E402,E501

ALPHAS = [1.0, 1.5, 2.0]
CS = [0.01, 0.1, 1.0, 10.0]
TEMPERATURES = [0.5, 1.0]
OVR_P0 = [0.2, 0.3, 0.4, 0.5]


def thresholds(n_labels):
    """"auto" (1 / n_labels), the support (0) and two shares of 1 / n_labels."""
    return ["auto", 0.0, 0.5 / n_labels, 2.0 / n_labels]


def restricted_choice(search, alpha):
    """The best candidate of ``search`` at ``alpha`` (GridSearchCV's rule over
    that part of the grid: best mean, first in order on ties)."""
    params = search.cv_results_["params"]
    means = search.cv_results_["mean_test_score"]
    at = [i for i, p in enumerate(params) if p["alpha"] == alpha]
    best = max(at, key=lambda i: (means[i], -i))
    return params[best], means[best]


def timed(fit):
    """``fit()``'s result, its ConvergenceWarnings and its wall time."""
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # labels absent from a fold
        result, n_warn = counting_convergence_warnings(fit)
    return result, n_warn, time.perf_counter() - start


def run_dataset(data, folds):
    X_train, X_test = preprocess(data)
    Y_train, Y_test = np.asarray(data.train.Y), np.asarray(data.test.Y)
    n_labels = Y_train.shape[1]
    cv = KFold(folds, shuffle=True, random_state=0)
    rows = []
    search, n_warn, seconds = timed(
        lambda: MultilabelEntmaxRegressionCV(
            alphas=ALPHAS,
            Cs=CS,
            temperatures=TEMPERATURES,
            thresholds=thresholds(n_labels),
            cv=cv,
        ).fit(X_train, Y_train)
    )
    rows.append(
        (
            "entmax, alpha chosen",
            search.predict(X_test),
            search.best_score_,
            search.cv_results_["params"][search.best_index_],
            f"{seconds:.0f} s, {n_warn} warnings (all three alphas)",
        )
    )
    for alpha, label in ((1.0, "softmax (alpha = 1)"), (2.0, "sparsemax (alpha = 2)")):
        params, cv_score = restricted_choice(search, alpha)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model = MultilabelEntmaxRegression(**params).fit(X_train, Y_train)
        rows.append((label, model.predict(X_test), cv_score, params, "same search"))
    ovr, n_warn, seconds = timed(
        lambda: GridSearchCV(
            ThresholdedOneVsRest(tol=1e-4, max_iter=100),
            {"C": CS, "threshold": OVR_P0},
            scoring="f1_micro",
            cv=cv,
        ).fit(X_train, Y_train)
    )
    rows.append(
        (
            "one-vs-rest logistic, p0 tuned",
            ovr.predict(X_test),
            ovr.best_score_,
            ovr.best_params_,
            f"{seconds:.0f} s, {n_warn} warnings",
        )
    )
    table = []
    for label, Y_pred, cv_score, params, note in rows:
        s = scores(Y_test, Y_pred)
        shown = ", ".join(
            f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
            for k, v in params.items()
        )
        table.append(
            [
                data.name,
                label,
                f"**{s['micro_f1']:.2f}**",
                f"{100 * cv_score:.2f}",
                f"{s['macro_f1']:.2f}",
                f"{s['pred_size']:.2f} / {s['true_size']:.2f}",
                shown,
                note,
            ]
        )
        print("  " + " | ".join(table[-1]), flush=True)
    return table


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default="../shared/data/multilabel")
    parser.add_argument("--datasets", nargs="*", default=None)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="emotions only")
    args = parser.parse_args(argv)
    available = find_datasets(Path(args.data_dir))
    names = args.datasets or (["emotions"] if args.quick else sorted(available))
    print(machine(), flush=True)
    rows = []
    for name in names:
        rows += run_dataset(load(available[name]), args.folds)
    header = [
        "data",
        "method",
        "test micro-F1",
        "CV micro-F1",
        "test macro-F1",
        "predicted / true set size",
        "chosen",
        "tuning",
    ]
    print()
    print(
        f"{args.folds}-fold CV on train, C in {CS}, T in {TEMPERATURES}, thresholds "
        '"auto", 0 (support), 0.5/K, 2/K; OvR p0 in ' + f"{OVR_P0}."
    )
    print()
    print(markdown_table(header, rows))


if __name__ == "__main__":
    main()
