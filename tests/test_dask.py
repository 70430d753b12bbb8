"""Fitting on dask arrays, on a real dask.distributed cluster on loopback."""

import tracemalloc

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import make_classification, make_multilabel_classification
from sklearn.model_selection import GridSearchCV
from sklearn.preprocessing import StandardScaler

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

from sklearn_softmax import (  # noqa: E402
    MultilabelSoftmaxRegression,
    MultilabelSparsemaxRegression,
    SoftmaxRegression,
    SparsemaxRegression,
)

TIGHT = dict(tol=1e-10, max_iter=2000)


@pytest.fixture(scope="module")
def client():
    # In-process workers (inproc transport): fast to start.
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=False,
            dashboard_address=":0",
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def multiclass():
    X, y = make_classification(
        n_samples=3000, n_features=15, n_informative=8, n_classes=4, random_state=0
    )
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def multilabel():
    X, Y = make_multilabel_classification(
        n_samples=2000, n_features=15, n_classes=5, random_state=0
    )
    return StandardScaler().fit_transform(X), Y


@pytest.mark.parametrize("Est", [SoftmaxRegression, SparsemaxRegression])
def test_multiclass_fit_equals_in_memory(Est, client, multiclass):
    X, y = multiclass
    sw = np.random.default_rng(0).random(len(y)) * 2
    X_d = da.from_array(X, chunks=(700, 15))  # unequal last block
    memory = Est(C=0.5, **TIGHT).fit(X, y, sample_weight=sw)
    dask_fit = Est(C=0.5, **TIGHT).fit(
        X_d, da.from_array(y, chunks=700), sample_weight=da.from_array(sw, chunks=700)
    )
    assert_array_equal(dask_fit.classes_, memory.classes_)
    assert_allclose(dask_fit.coef_, memory.coef_, atol=1e-7)
    assert_allclose(dask_fit.intercept_, memory.intercept_, atol=1e-7)
    # Predictions on a dask array are dask arrays, computed block by block.
    for method in (
        "predict",
        "predict_proba",
        "decision_function",
        "predict_log_proba",
    ):
        lazy = getattr(dask_fit, method)(X_d)
        assert isinstance(lazy, da.Array)
        assert lazy.numblocks[0] == X_d.numblocks[0]
        assert_allclose(lazy.compute(), getattr(dask_fit, method)(X), atol=1e-12)


def test_binary_classes_up_front_and_class_weight(client, multiclass):
    X, y = multiclass
    y = np.where(y < 2, "a", "b")
    X_d, y_d = da.from_array(X, chunks=500), da.from_array(y, chunks=500)
    for class_weight in (None, "balanced", {"a": 2.0, "b": 0.5}):
        memory = SoftmaxRegression(class_weight=class_weight, **TIGHT).fit(X, y)
        dask_fit = SoftmaxRegression(class_weight=class_weight, **TIGHT).fit(
            X_d, y_d, classes=["a", "b"]
        )
        assert dask_fit.coef_.shape == (1, 15)
        assert_allclose(dask_fit.coef_, memory.coef_, atol=1e-7)
    assert dask_fit.decision_function(X_d).compute().shape == (len(y),)


@pytest.mark.parametrize(
    "Est", [MultilabelSoftmaxRegression, MultilabelSparsemaxRegression]
)
@pytest.mark.parametrize("weighting", ["sample", "label"])
def test_multilabel_fit_equals_in_memory(Est, weighting, client, multilabel):
    X, Y = multilabel
    assert (Y.sum(axis=1) == 0).any()
    memory = Est(weighting=weighting, **TIGHT).fit(X, Y)
    X_d = da.from_array(X, chunks=(400, 15))
    dask_fit = Est(weighting=weighting, **TIGHT).fit(
        X_d, da.from_array(Y, chunks=(400, 5))
    )
    assert dask_fit.null_outcome_ and memory.null_outcome_
    assert_allclose(dask_fit.coef_, memory.coef_, atol=1e-6)
    assert_allclose(dask_fit.null_coef_, memory.null_coef_, atol=1e-6)
    assert_array_equal(dask_fit.predict(X_d).compute(), memory.predict(X))
    assert_allclose(
        dask_fit.predict_empty_proba(X_d).compute(),
        memory.predict_empty_proba(X),
        atol=1e-6,
    )


def test_errors(client, multiclass):
    X, y = multiclass
    X_bad = X.copy()
    X_bad[5, 3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        SoftmaxRegression().fit(da.from_array(X_bad, chunks=500), y)
    with pytest.raises(ValueError, match="not in classes"):
        SoftmaxRegression().fit(da.from_array(X, chunks=500), y, classes=[0, 1, 2])
    with pytest.raises(ValueError, match="Multilabel"):
        SoftmaxRegression().fit(da.from_array(X, chunks=500), np.eye(4)[y])


def test_grid_search_on_the_cluster_with_joblib(client, multiclass):
    from joblib import parallel_backend

    X, y = multiclass
    grid = {"temperature": [0.5, 1.0, 2.0], "C": [0.1, 1.0]}
    with parallel_backend("dask"):
        search = GridSearchCV(SoftmaxRegression(), grid, scoring="neg_log_loss", cv=3)
        search.fit(X, y)
    local = GridSearchCV(SoftmaxRegression(), grid, scoring="neg_log_loss", cv=3)
    local.fit(X, y)
    assert search.best_params_ == local.best_params_
    assert_allclose(
        search.cv_results_["mean_test_score"], local.cv_results_["mean_test_score"]
    )
    # The tasks ran on the cluster's workers.
    assert sum(client.run(lambda dask_worker: len(dask_worker.data) >= 0).values())


def test_worker_processes_and_the_client_never_holds_x():
    """Real worker processes; X is generated on the workers and stays there."""
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
        rng = da.random.default_rng(0)
        n, d = 200_000, 40
        X = rng.standard_normal((n, d), chunks=(50_000, d))
        y = (X[:, :4] @ np.arange(1.0, 5.0) > 0).astype(int) + (X[:, 4] > 1)
        X, y = X.persist(), y.persist()
        tracemalloc.start()
        clf = SoftmaxRegression(max_iter=20).fit(X, y, classes=[0, 1, 2])
        _, client_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        x_bytes = n * d * 8
        # 64 MB of X on the workers; the client held a few coefficient-sized
        # arrays per evaluation.
        assert client_peak < x_bytes / 20, (client_peak, x_bytes)
        assert clf.n_iter_ > 5
        assert clf.score(X[:1000].compute(), y[:1000].compute()) > 0.8


def test_dask_dataframe_input(client, multiclass):
    # A dask DataFrame X (and Series y) is fitted as its dask array.
    dd = pytest.importorskip("dask.dataframe")
    pd = pytest.importorskip("pandas")
    X, y = multiclass
    frame = pd.DataFrame(X, columns=[f"f{j}" for j in range(X.shape[1])])
    X_dd = dd.from_pandas(frame, npartitions=4)
    y_dd = dd.from_pandas(pd.Series(y), npartitions=4)
    memory = SoftmaxRegression(**TIGHT).fit(X, y)
    dask_fit = SoftmaxRegression(**TIGHT).fit(X_dd, y_dd)
    assert_allclose(dask_fit.coef_, memory.coef_, atol=1e-7)
    assert_array_equal(dask_fit.classes_, memory.classes_)
