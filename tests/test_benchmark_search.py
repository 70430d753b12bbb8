"""The multilabel benchmark's search and baselines (benchmarks/multilabel.py)."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import make_multilabel_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold

from sklearn_softmax import (
    MultilabelSparsemaxRegression,
    MultilabelSparsemaxRegressionCV,
)

_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "multilabel.py"
_spec = importlib.util.spec_from_file_location("bench_multilabel", _PATH)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)  # puts benchmarks/ on sys.path

import multilabel_baselines as baselines  # noqa: E402
import multilabel_data as datasets  # noqa: E402
import multilabel_report as report  # noqa: E402


@pytest.fixture(scope="module")
def data():
    X, Y = make_multilabel_classification(
        n_samples=150, n_features=8, n_classes=5, n_labels=2, random_state=1
    )
    return X / X.std(axis=0), Y


def test_tuning_across_weightings_chooses_as_grid_search(data):
    # The CV estimator runs once per weighting; the better of the two is the
    # choice of GridSearchCV over C x temperature x threshold x weighting.
    X, Y = data
    X, Y = X[:100], Y[:100]
    grid = {"C": [0.1, 1.0], "temperature": [0.5], "threshold": [0.0, 0.2]}
    settings = dict(tol=1e-6, max_iter=1000)
    full = GridSearchCV(
        MultilabelSparsemaxRegression(**settings),
        {**grid, "weighting": ["sample", "label"]},
        scoring="f1_micro",
        cv=KFold(3, shuffle=True, random_state=0),
    ).fit(X, Y)
    estimator = MultilabelSparsemaxRegressionCV(
        Cs=grid["C"],
        temperatures=grid["temperature"],
        thresholds=grid["threshold"],
        **settings,
    )
    search, n_fits, _ = bench.tune(estimator, None, X, Y, n_splits=3, n_jobs=1)
    assert search.best_params_ == full.best_params_
    assert n_fits == 2 * 3 * 2 + 1
    assert_array_equal(search.predict(X), full.predict(X))


def test_one_vs_rest_with_a_label_absent_from_training(data):
    X, Y = data
    Y = Y.copy()
    Y[:, 2] = 0
    ovr = baselines.ThresholdedOneVsRest(C=1.0, threshold=0.3).fit(X, Y)
    P = ovr.predict_proba(X)
    assert_array_equal(P[:, 2], 0.0)
    expected = LogisticRegression(C=1.0, tol=1e-6, max_iter=1000).fit(X, Y[:, 0])
    assert_allclose(P[:, 0], expected.predict_proba(X)[:, 1])
    chain = baselines.chain(C=1.0).fit(X, Y)
    assert_array_equal(chain.predict(X)[:, 2], 0)


def test_single_file_dataset_is_split(tmp_path):
    (tmp_path / "toy.xml").write_text(
        '<labels xmlns="http://mulan.sourceforge.net/labels">'
        '<label name="a"/><label name="b"/></labels>'
    )
    rows = "\n".join(f"{i},{i % 2},{(i // 2) % 2}" for i in range(30))
    (tmp_path / "toy.arff").write_text(
        "@relation toy\n@attribute f numeric\n@attribute a {0,1}\n"
        "@attribute b {0,1}\n@data\n" + rows + "\n"
    )
    found = datasets.find_datasets(tmp_path)
    assert list(found) == ["toy"]
    data = datasets.load(found["toy"])
    assert data.name == "toy (random split)"
    assert (len(data.train.Y), len(data.test.Y)) == (20, 10)
    assert_array_equal(
        np.sort(np.concatenate([data.train.X[:, 0], data.test.X[:, 0]])), np.arange(30)
    )


def test_preprocess_keeps_sparse_sparse_and_imputes():
    import scipy.sparse as sp
    from sklearn.utils import Bunch

    X = sp.random(40, 6, density=0.3, format="csr", random_state=0) * 5
    data = Bunch(train=Bunch(X=X[:30]), test=Bunch(X=X[30:]))
    X_train, X_test = datasets.preprocess(data)
    assert sp.issparse(X_train) and X_train.nnz == X[:30].nnz
    assert_allclose(X_train.toarray().std(axis=0), 1.0)

    dense = np.arange(24.0).reshape(8, 3)
    dense[1, 2] = np.nan
    data = Bunch(train=Bunch(X=dense[:6]), test=Bunch(X=dense[6:]))
    X_train, X_test = datasets.preprocess(data)
    assert np.isfinite(X_train).all() and np.isfinite(X_test).all()
    assert_allclose(X_train.mean(axis=0), 0.0, atol=1e-12)


def test_micro_f1_difference_interval():
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(0)
    Y = rng.random((300, 4)) < 0.3
    A = Y ^ (rng.random(Y.shape) < 0.1)  # 10% of the entries flipped
    B = Y ^ (rng.random(Y.shape) < 0.3)
    low, high = report.micro_f1_difference_interval(Y, A, B)
    diff = 100 * (f1_score(Y, A, average="micro") - f1_score(Y, B, average="micro"))
    assert low < diff < high and low > 0
    low, high = report.micro_f1_difference_interval(Y, A, A)
    assert low == high == 0


def test_benchmark_runs_on_a_sparse_mulan_dataset(tmp_path, capsys):
    # Sparse ARFF, nominal features, empty label sets, and a label that never
    # occurs in the training split: what MULAN datasets beyond ../shared have.
    rng = np.random.default_rng(0)
    n_features, n_labels = 12, 4
    W = rng.normal(size=(n_features, n_labels))
    header = [
        "@relation toy",
        *[f"@attribute f{j} {{0,1}}" for j in range(n_features)],
        *[f"@attribute L{k} {{0,1}}" for k in range(n_labels)],
        "@data",
    ]
    for split, n in (("train", 90), ("test", 45)):
        X = (rng.random((n, n_features)) < 0.3).astype(int)
        Y = (X @ W + rng.normal(size=(n, n_labels)) > 1.0).astype(int)
        if split == "train":
            Y[:, 3] = 0
        rows = [
            "{" + ",".join(f"{i} 1" for i in np.flatnonzero(np.r_[x, y])) + "}"
            for x, y in zip(X, Y, strict=True)
        ]
        (tmp_path / f"toy-{split}.arff").write_text("\n".join(header + rows) + "\n")
    (tmp_path / "toy.xml").write_text(
        '<labels xmlns="http://mulan.sourceforge.net/labels">'
        + "".join(f'<label name="L{k}"/>' for k in range(n_labels))
        + "</labels>"
    )
    bench.main(
        ["--quick", "--folds", "2", "--data-dir", str(tmp_path), "--datasets", "toy"]
    )
    out = capsys.readouterr().out
    assert "## Summary" in out and "| toy | " in out and "| toy − L" in out
    assert "nan" not in out.lower()


def test_without_top_labels_makes_empty_sets():
    from sklearn.utils import Bunch

    Y = np.array([[1, 1, 0, 0]] * 6 + [[1, 0, 1, 0]] * 3 + [[0, 0, 0, 1]])
    data = Bunch(
        name="d",
        train=Bunch(X=np.zeros((10, 1)), Y=Y),
        test=Bunch(X=np.zeros((10, 1)), Y=Y),
        label_names=np.array(["a", "b", "c", "d"]),
    )
    # Removing "a" empties no row; removing "a" and "b" empties 6 of 10.
    derived = datasets.without_top_labels(data)
    assert derived.name == "d − a − b"
    assert_array_equal(derived.train.Y, Y[:, [2, 3]])
    assert datasets.without_top_labels(data, min_empty=0.7) is None


def test_micro_f1_counts_give_scikit_learns_micro_f1():
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(1)
    for shape, p in [((50, 7), 0.2), ((3, 4), 0.0), ((200, 3), 0.6)]:
        Y, Y_pred = rng.random(shape) < p, rng.random(shape) < 0.3
        expected = f1_score(Y, Y_pred, average="micro", zero_division=0)
        assert report.micro_f1_of_counts(report.micro_f1_counts(Y, Y_pred)) == expected
