"""What only a real dask.distributed cluster shows (equality of the dask and
in-memory fits is in test_fit_paths.py, on dask's local scheduler)."""

import tracemalloc

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.datasets import make_classification
from sklearn.model_selection import GridSearchCV

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

from sklearn_softmax import SoftmaxRegression  # noqa: E402


@pytest.fixture(scope="module")
def client():
    # In-process workers (inproc transport): fast to start.
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def multiclass():
    X, y = make_classification(
        n_samples=1500, n_features=8, n_informative=5, n_classes=3, random_state=0
    )
    return X, y


def test_fit_on_the_cluster_equals_in_memory(client, multiclass):
    X, y = multiclass
    X_d, y_d = da.from_array(X, chunks=400), da.from_array(y, chunks=400)
    with distributed.get_task_stream(client) as stream:
        fitted = SoftmaxRegression(tol=1e-10, max_iter=1000).fit(X_d, y_d)
    memory = SoftmaxRegression(tol=1e-10, max_iter=1000).fit(X, y)
    assert_allclose(fitted.coef_, memory.coef_, atol=1e-7)
    # The blocks' loss and gradient ran as tasks on both workers.
    workers = {task["worker"] for task in stream.data}
    assert len(workers) == 2
    assert len(stream.data) >= 4 * fitted.n_iter_[0]


def test_grid_search_on_the_cluster_with_joblib(client, multiclass):
    from joblib import parallel_backend

    X, y = multiclass
    grid = {"temperature": [0.5, 1.0, 2.0], "C": [0.1, 1.0]}
    local = GridSearchCV(SoftmaxRegression(), grid, scoring="neg_log_loss", cv=3)
    local.fit(X, y)
    with (
        parallel_backend("dask"),
        distributed.get_task_stream(client) as stream,
    ):
        search = GridSearchCV(SoftmaxRegression(), grid, scoring="neg_log_loss", cv=3)
        search.fit(X, y)
    assert stream.data  # the fits ran as cluster tasks (joblib batches them)
    assert search.best_params_ == local.best_params_
    assert_allclose(
        search.cv_results_["mean_test_score"], local.cv_results_["mean_test_score"]
    )


def test_worker_processes_and_the_client_never_holds_x():
    """A real worker process; X is generated on the worker and stays there
    (several workers: test_fit_on_the_cluster_equals_in_memory)."""
    with (
        distributed.LocalCluster(
            n_workers=1,
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
        clf = SoftmaxRegression(max_iter=10).fit(X, y, classes=[0, 1, 2])
        _, client_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        x_bytes = n * d * 8
        # 64 MB of X on the workers; the client held a few coefficient-sized
        # arrays per evaluation.
        assert client_peak < x_bytes / 20, (client_peak, x_bytes)
        assert clf.n_iter_[0] > 5
        assert clf.score(X[:1000].compute(), y[:1000].compute()) > 0.8
