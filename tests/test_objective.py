import sys

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from scipy.optimize import check_grad
from sklearn import config_context

from sklearn_softmax import SoftmaxRegression, SparsemaxRegression
from sklearn_softmax._objective import LinearObjective
from sklearn_softmax._targets import target_sums
from sklearn_softmax.losses import EntmaxLoss, SoftmaxLoss, SparsemaxLoss

LOSSES = [SoftmaxLoss(), SparsemaxLoss(), EntmaxLoss(1.5)]
# The losses the compiled objective knows (loss.kernel).
KERNEL_LOSSES = [loss for loss in LOSSES if loss.kernel]


def make_problem(n_outputs, sparse=False, seed=0, n=40, d=6):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    if sparse:
        X[rng.random((n, d)) < 0.6] = 0
        X = sp.csr_matrix(X)
    n_classes = max(n_outputs, 2)
    Q = np.eye(n_classes)[rng.integers(n_classes, size=n)]
    sw = rng.random(n) + 0.1
    return X, Q, sw / sw.sum()


def minimize_calls(monkeypatch):
    """Record the solver's calls of scipy's minimize: ``(len(x0), options)``."""
    from scipy import optimize

    from sklearn_softmax import _solver

    calls = []
    minimize = optimize.minimize

    def spy(fun, x0, *args, **kwargs):
        calls.append((len(x0), kwargs["options"]))
        return minimize(fun, x0, *args, **kwargs)

    monkeypatch.setattr(_solver.optimize, "minimize", spy)
    return calls


@pytest.mark.parametrize("loss", LOSSES, ids=repr)
@pytest.mark.parametrize("n_outputs", [1, 4])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("centered", [False, True])
def test_gradient_matches_finite_differences(
    loss, n_outputs, fit_intercept, sparse, centered
):
    X, Q, sw = make_problem(n_outputs, sparse=sparse)
    X = X + 2.0 if not sparse else X  # uncentered dense data
    offset = np.asarray(X.T @ sw).ravel() if centered else None
    obj = LinearObjective(
        loss,
        fit_intercept=fit_intercept,
        n_features=X.shape[1],
        n_outputs=n_outputs,
        offset=offset,
    )
    params = np.random.default_rng(1).normal(scale=0.5, size=obj.n_params)
    args = (X, Q, sw, 0.3)
    err = check_grad(
        lambda p: obj.loss_gradient(p, *args)[0],
        lambda p: obj.loss_gradient(p, *args)[1],
        params,
        epsilon=1e-7,
    )
    assert err < 1e-6 * np.sqrt(obj.n_params)


@pytest.mark.parametrize("loss", LOSSES + [EntmaxLoss(1.25), EntmaxLoss(3.0)], ids=repr)
@pytest.mark.parametrize("n_outputs", [1, 4])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("sparse", [False, True])
def test_hessian_product_matches_finite_differences(
    loss, n_outputs, fit_intercept, sparse
):
    X, Q, sw = make_problem(n_outputs, sparse=sparse)
    X = X + 2.0 if not sparse else X
    obj = LinearObjective(
        loss,
        fit_intercept=fit_intercept,
        n_features=X.shape[1],
        n_outputs=n_outputs,
        offset=np.asarray(X.T @ sw).ravel(),  # implicit centering, as a fit
    )
    rng = np.random.default_rng(3)
    params = rng.normal(scale=0.5, size=obj.n_params)
    args = (X, Q, sw, 0.3)
    hessp = obj.hessian_product(params, X, sw, 0.3)
    for _ in range(3):
        d = rng.normal(size=obj.n_params)
        eps = 1e-6
        fd = (
            obj.loss_gradient(params + eps * d, *args)[1]
            - obj.loss_gradient(params - eps * d, *args)[1]
        ) / (2 * eps)
        assert_allclose(hessp(d), fd, atol=1e-6 * np.abs(fd).max())
    # The Hessian of a convex objective: symmetric and positive semidefinite.
    a, b = rng.normal(size=(2, obj.n_params))
    assert_allclose(a @ hessp(b), b @ hessp(a), rtol=1e-10)
    assert a @ hessp(a) >= 0


@pytest.mark.parametrize("loss", LOSSES, ids=repr)
def test_value_is_weighted_mean_loss_plus_penalty(loss):
    X, Q, sw = make_problem(3)
    obj = LinearObjective(loss, fit_intercept=True, n_features=X.shape[1], n_outputs=3)
    params = np.random.default_rng(2).normal(size=obj.n_params)
    W, b = obj.unpack(params)
    Z = X @ W + b
    expected = loss.loss_gradient(Z, Q)[0] @ sw + 0.5 * 0.7 * np.sum(W**2)
    assert obj.loss_gradient(params, X, Q, sw, 0.7)[0] == pytest.approx(
        expected, rel=1e-13
    )


@pytest.mark.parametrize("loss", LOSSES, ids=repr)
def test_binary_model_is_the_symmetric_two_class_model(loss):
    # Objective of w (one output) equals that of W = (-w/2, w/2) (two outputs).
    X, Q, sw = make_problem(1)
    binary = LinearObjective(loss, fit_intercept=True, n_features=6, n_outputs=1)
    full = LinearObjective(loss, fit_intercept=True, n_features=6, n_outputs=2)
    params = np.random.default_rng(3).normal(size=binary.n_params)
    w, b = binary.unpack(params)
    full_params = full.pack(np.hstack([-w / 2, w / 2]), np.array([-b[0] / 2, b[0] / 2]))
    value, grad = binary.loss_gradient(params, X, Q, sw, 0.4)
    full_value, full_grad = full.loss_gradient(full_params, X, Q, sw, 0.4)
    assert value == pytest.approx(full_value, rel=1e-13)
    # Chain rule: d/dw = (d/dW1 - d/dW0) / 2.
    gW, gb = full.unpack(full_grad)
    assert_allclose(binary.unpack(grad)[0][:, 0], (gW[:, 1] - gW[:, 0]) / 2, atol=1e-14)
    assert_allclose(binary.unpack(grad)[1], (gb[1] - gb[0]) / 2, atol=1e-14)


@pytest.mark.parametrize("loss", LOSSES, ids=repr)
def test_sparse_and_dense_agree(loss):
    X, Q, sw = make_problem(3, sparse=True)
    obj = LinearObjective(loss, fit_intercept=True, n_features=6, n_outputs=3)
    params = np.random.default_rng(4).normal(size=obj.n_params)
    v_sparse, g_sparse = obj.loss_gradient(params, X, Q, sw, 0.5)
    v_dense, g_dense = obj.loss_gradient(params, X.toarray(), Q, sw, 0.5)
    assert v_sparse == pytest.approx(v_dense, rel=1e-13)
    assert_allclose(g_sparse, g_dense, atol=1e-14)


class CountingArray(np.ndarray):
    """An ndarray that records the shape of each product it is the left side of."""

    left_shapes = []

    def __matmul__(self, other):
        type(self).left_shapes.append(self.shape)
        return np.asarray(self) @ other


def test_one_forward_product_per_evaluation():
    X, Q, sw = make_problem(3)
    Xc = X.view(CountingArray)
    # Softmax: NumPy's products (dense float64 sparsemax may run compiled).
    obj = LinearObjective(SoftmaxLoss(), fit_intercept=True, n_features=6, n_outputs=3)
    CountingArray.left_shapes = []
    obj.loss_gradient(np.zeros(obj.n_params), Xc, Q, sw, 0.5)
    # One X @ W and one X.T @ G.
    assert CountingArray.left_shapes == [X.shape, X.shape[::-1]]


@pytest.mark.parametrize("loss", LOSSES, ids=repr)
@pytest.mark.parametrize("n_outputs", [1, 4])
@pytest.mark.parametrize("sparse", [False, True])
def test_blocks_give_the_unblocked_result(loss, n_outputs, sparse):
    X, Q, sw = make_problem(n_outputs, sparse=sparse, n=1000)
    obj = LinearObjective(loss, fit_intercept=True, n_features=6, n_outputs=n_outputs)
    params = np.random.default_rng(5).normal(size=obj.n_params)
    whole_value, whole_grad = obj.loss_gradient(params, X, Q, sw, 0.5)
    assert obj.block_rows(1000, 8) == 1000
    # working_memory is in MiB; 1/8 of it per block: 1e-3 MiB -> 16 rows or so.
    with config_context(working_memory=1e-3):
        assert 1 < obj.block_rows(1000, 8) < 100
        value, grad = obj.loss_gradient(params, X, Q, sw, 0.5)
    assert value == pytest.approx(whole_value, rel=1e-13)
    assert_allclose(grad, whole_grad, rtol=1e-12, atol=1e-15)


def test_class_index_targets_in_the_objective():
    X, Q, sw = make_problem(4)
    y = Q.argmax(axis=1)
    obj = LinearObjective(
        SparsemaxLoss(), fit_intercept=True, n_features=6, n_outputs=4
    )
    params = np.random.default_rng(6).normal(size=obj.n_params)
    v_hot, g_hot = obj.loss_gradient(params, X, Q, sw, 0.5)
    v_idx, g_idx = obj.loss_gradient(params, X, y, sw, 0.5)
    assert v_idx == pytest.approx(v_hot, rel=1e-14)
    assert_allclose(g_idx, g_hot, atol=1e-15)


@pytest.mark.parametrize("loss", LOSSES, ids=repr)
def test_threads_over_sparse_blocks_give_the_same_result(loss, monkeypatch):
    X, Q, sw = make_problem(4, sparse=True, n=2000, d=30)
    serial = LinearObjective(loss, fit_intercept=True, n_features=30, n_outputs=4)
    threaded = LinearObjective(
        loss, fit_intercept=True, n_features=30, n_outputs=4, n_threads=3
    )
    monkeypatch.setattr(LinearObjective, "_MIN_NNZ_PER_THREAD", 100)
    blocks, n_threads = threaded._blocks(X)
    assert n_threads == 3 and len(blocks) == 3
    params = np.random.default_rng(7).normal(size=serial.n_params)
    value, grad = serial.loss_gradient(params, X, Q, sw, 0.5)
    t_value, t_grad = threaded.loss_gradient(params, X, Q, sw, 0.5)
    assert t_value == pytest.approx(value, rel=1e-13)
    assert_allclose(t_grad, grad, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("loss", LOSSES, ids=repr)
def test_implicit_centering_is_a_reparametrization_of_the_intercept(loss):
    # With the offset, packed params (W, b') are the model (W, b' - offset W):
    # the same value as the plain objective at that model, and stationary
    # points map to stationary points.
    X, Q, sw = make_problem(3)
    X = X + np.array([3.0, -1.0, 0.0, 5.0, 2.0, -4.0])
    offset = X.T @ sw
    plain = LinearObjective(loss, fit_intercept=True, n_features=6, n_outputs=3)
    centered = LinearObjective(
        loss, fit_intercept=True, n_features=6, n_outputs=3, offset=offset
    )
    params = np.random.default_rng(3).normal(size=centered.n_params)
    W, b = centered.coef_intercept(params)
    value, grad = centered.loss_gradient(params, X, Q, sw, 0.4)
    plain_value, plain_grad = plain.loss_gradient(plain.pack(W, b), X, Q, sw, 0.4)
    assert value == pytest.approx(plain_value, rel=1e-13)
    # The chain rule of b = b' - offset W.
    g_W, g_b = plain.unpack(plain_grad)
    c_W, c_b = centered.unpack(grad)
    assert_allclose(c_b, g_b, atol=1e-14)
    assert_allclose(c_W, g_W - np.outer(offset, g_b), atol=1e-13)
    # initial_params inverts coef_intercept (a warm start from a fitted model).
    assert_allclose(centered.initial_params((W.T, b)), params, atol=1e-13)


@pytest.mark.parametrize("n_outputs", [1, 3])
@pytest.mark.parametrize("targets", ["indices", "distributions"])
def test_softmax_starts_at_the_intercept_only_optimum(n_outputs, targets):
    # Zero coefficients and the intercept log(q_mean): every prediction is
    # q_mean, and the objective is stationary in the intercept there.
    X, Q, sw = make_problem(n_outputs, seed=4)
    if n_outputs == 1:
        Q[:30] = [1.0, 0.0]  # unbalanced: the start is not zero
    if targets == "indices":
        Q = Q.argmax(axis=1)
    else:
        Q = np.abs(Q + np.random.default_rng(5).random(Q.shape))
        Q /= Q.sum(axis=1, keepdims=True)
    obj = LinearObjective(
        SoftmaxLoss(),
        fit_intercept=True,
        n_features=X.shape[1],
        n_outputs=n_outputs,
        offset=X.T @ sw,
    )
    params = obj.initial_params(None, target_sums(Q, sw, max(n_outputs, 2)))
    W, b = obj.coef_intercept(params)
    logits = np.append(0.0, b) if n_outputs == 1 else b  # binary: (0, s)
    assert not W.any() and np.ptp(logits) > 0.1
    _, grad = obj.loss_gradient(params, X, Q, sw, 0.3)
    assert_allclose(obj.unpack(grad)[1], 0.0, atol=1e-15)
    # A warm start wins over it.
    q_mean = target_sums(Q, sw, max(n_outputs, 2))
    warm_W, warm_b = obj.coef_intercept(obj.initial_params((W.T + 1, b), q_mean))
    assert_allclose(warm_W, W + 1)
    assert_allclose(warm_b, b, atol=1e-14)
    # Sparsemax, and a model without intercept, start at zero.
    for loss, fit_intercept in [(SparsemaxLoss(), True), (SoftmaxLoss(), False)]:
        other = LinearObjective(
            loss,
            fit_intercept=fit_intercept,
            n_features=X.shape[1],
            n_outputs=n_outputs,
            offset=X.T @ sw,
        )
        assert not other.initial_params(None, q_mean).any()


def _compiled_objective():
    from sklearn_softmax import _numba

    if _numba.dense_objective is None:
        pytest.skip("numba not installed or disabled")
    return _numba


@pytest.mark.parametrize("loss", KERNEL_LOSSES, ids=repr)
@pytest.mark.parametrize("n_outputs", [1, 3, 6, 16])
@pytest.mark.parametrize("targets", ["indices", "distributions"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_compiled_objective_equals_the_numpy_path(
    loss, n_outputs, targets, fit_intercept, monkeypatch
):
    # Row counts not a multiple of the kernel's 4-row blocks, odd and even
    # outputs (its 2-output blocks), uncentered features, weights (some 0:
    # rows left out of X.T @ G), offset. The kernel on every shape it can
    # take, binary softmax included, where the routing would not send it.
    _numba = _compiled_objective()
    rng = np.random.default_rng(n_outputs)
    n_classes = max(n_outputs, 2)
    for n in (1, 3, 4, 7, 50):
        X = rng.normal(size=(n, 5)) + 1.0
        y = rng.integers(n_classes, size=n)
        Q = y if targets == "indices" else rng.dirichlet(np.ones(n_classes), n)
        sw = rng.random(n) + 0.1
        sw[1::3] = 0.0
        sw /= sw.sum()
        obj = LinearObjective(
            loss,
            fit_intercept=fit_intercept,
            n_features=5,
            n_outputs=n_outputs,
            offset=X.T @ sw,
        )
        params = rng.normal(scale=2.0, size=obj.n_params)
        with monkeypatch.context() as m:
            m.setattr(
                LinearObjective,
                "_compiled_kernel",
                lambda self, X: _numba.dense_objective,
            )
            value, grad = obj.loss_gradient(params, X, Q, sw, 0.3)
        assert obj._compiled_kernel(X) is None  # tiny data: NumPy
        expected_value, expected_grad = obj.loss_gradient(params, X, Q, sw, 0.3)
        assert value == pytest.approx(expected_value, rel=1e-13, abs=1e-15)
        assert_allclose(grad, expected_grad, rtol=1e-12, atol=1e-14)


def test_compiled_objective_only_where_it_pays(monkeypatch):
    _numba = _compiled_objective()
    X, _, _ = make_problem(3, n=20_000)
    kernel = _numba.dense_objective

    def objective(loss=None, n_outputs=3, n_threads=1):
        return LinearObjective(
            loss or SparsemaxLoss(),
            fit_intercept=True,
            n_features=6,
            n_outputs=n_outputs,
            n_threads=n_threads,
        )

    for loss in LOSSES:
        # Many classes, float32 (sgemm is faster), sparse or strided X.
        assert objective(loss, n_outputs=17)._compiled_kernel(X) is None
        assert objective(loss)._compiled_kernel(X.astype(np.float32)) is None
        assert objective(loss)._compiled_kernel(sp.csr_matrix(X)) is None
        assert objective(loss)._compiled_kernel(np.asfortranarray(X)) is None
        # Tiny data: a fit saves less than the kernel's first load costs.
        assert objective(loss)._compiled_kernel(X[:50]) is None

    assert objective()._compiled_kernel(X) is kernel
    # Entmax as sparsemax: it imports numba itself.
    assert objective(EntmaxLoss(1.5))._compiled_kernel(X) is kernel
    assert objective(n_outputs=16)._compiled_kernel(X) is kernel
    assert objective(n_outputs=1, n_threads=2)._compiled_kernel(X) is kernel

    # Softmax: once loaded, where BLAS would run on one thread, 2+ outputs.
    monkeypatch.setattr(_numba, "dense_objective_loaded", lambda X: True)
    assert objective(SoftmaxLoss())._compiled_kernel(X) is kernel
    assert objective(SoftmaxLoss(), n_outputs=16)._compiled_kernel(X) is kernel
    assert objective(SoftmaxLoss(), n_threads=2)._compiled_kernel(X) is None
    assert objective(SoftmaxLoss(), n_outputs=1)._compiled_kernel(X) is None
    with monkeypatch.context() as m:
        m.setattr(_numba, "dense_objective_loaded", lambda X: False)
        assert objective(SoftmaxLoss())._compiled_kernel(X) is None
    with monkeypatch.context() as m:  # no sparsemax call yet: numba not imported
        m.delitem(sys.modules, "sklearn_softmax._numba")
        assert objective(SoftmaxLoss())._compiled_kernel(X) is None


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_softmax_fits_use_the_kernel_a_sparsemax_fit_loaded(monkeypatch):
    # A sparsemax fit on data of this size loads the compiled objective; a
    # softmax fit then runs on it, to the NumPy path's solution.
    _numba = _compiled_objective()
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2_000, 60))
    y = np.argmax(X[:, :4] + rng.normal(size=(2_000, 4)), axis=1)
    SparsemaxRegression(max_iter=2).fit(X, y)
    assert _numba.dense_objective_loaded(X)
    calls = []
    kernel = _numba.dense_objective

    def spy(*args):
        calls.append(args[-1])
        return kernel(*args)

    monkeypatch.setattr(_numba, "dense_objective", spy)
    compiled = SoftmaxRegression(tol=1e-10, max_iter=500).fit(X, y)
    assert calls and all(calls)  # softmax=True
    monkeypatch.setattr(_numba, "dense_objective", None)
    numpy_path = SoftmaxRegression(tol=1e-10, max_iter=500).fit(X, y)
    assert_allclose(compiled.coef_, numpy_path.coef_, rtol=1e-7, atol=1e-9)
    assert_allclose(compiled.intercept_, numpy_path.intercept_, rtol=1e-7, atol=1e-9)


def test_compiled_objective_is_loaded_per_type_of_x(monkeypatch):
    # A read-only X (joblib's workers) is a type of its own, which a softmax
    # fit would have to load or compile: it is not "loaded" by a writable one.
    _numba = _compiled_objective()
    numba = pytest.importorskip("numba")
    X = np.zeros((8, 3))
    X_read_only = X.copy()
    X_read_only.flags.writeable = False
    kernel = type("Kernel", (), {"signatures": [(numba.typeof(X), numba.int64)]})
    monkeypatch.setattr(_numba, "_linear_objective", kernel)
    monkeypatch.setattr(_numba, "_loaded_x_types", set())
    for _ in range(2):  # the second time from the types seen loaded
        assert _numba.dense_objective_loaded(X)
        assert not _numba.dense_objective_loaded(X_read_only)
        assert not _numba.dense_objective_loaded(X.astype(np.float32))
        assert not _numba.dense_objective_loaded(np.asfortranarray(X))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
@pytest.mark.parametrize("loss", KERNEL_LOSSES, ids=repr)
def test_compiled_objective_rejects_bad_logits_and_targets(loss, bad, monkeypatch):
    _numba = _compiled_objective()
    monkeypatch.setattr(LinearObjective, "_COMPILED_MIN_WORK", 0)
    monkeypatch.setattr(_numba, "dense_objective_loaded", lambda X: True)
    X, Q, sw = make_problem(3)
    obj = LinearObjective(loss, fit_intercept=True, n_features=6, n_outputs=3)
    assert obj._compiled_kernel(X) is _numba.dense_objective
    params = np.zeros(obj.n_params)
    params[4] = bad  # one coefficient: one logit column of every row
    with pytest.raises(ValueError, match="logits contain NaN or infinity"):
        obj.loss_gradient(params, X, Q, sw, 0.5)
    with pytest.raises(ValueError, match=r"Class indices must be in \[0, 2\]"):
        obj.loss_gradient(np.zeros(obj.n_params), X, np.full(40, 3), sw, 0.5)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize(
    "shape, sparse, expected",
    [((200, 10), False, 1), ((100_000, 50), False, None), ((200, 10), True, None)],
)
def test_small_dense_fits_run_numpy_blas_on_one_thread(
    shape, sparse, expected, monkeypatch
):
    # A small dense fit's products on one thread (robust to other libraries'
    # spinning BLAS threads); large and sparse fits keep the user's setting.
    from threadpoolctl import threadpool_limits

    from sklearn_softmax import _objective, _threads

    if not _threads._numpy_blas().lib_controllers:
        pytest.skip("NumPy's BLAS is not visible to threadpoolctl")
    seen = []
    evaluate = _objective.LinearObjective.loss_gradient

    def spy(self, *args):
        seen.append(_threads.data_threads())
        return evaluate(self, *args)

    monkeypatch.setattr(_objective.LinearObjective, "loss_gradient", spy)
    rng = np.random.default_rng(0)
    X = rng.normal(size=shape)
    X = sp.csr_matrix(X) if sparse else X
    y = np.arange(shape[0]) % 3
    with threadpool_limits(limits=2, user_api="blas"):
        SoftmaxRegression(max_iter=2).fit(X, y)
        assert _threads.data_threads() == 2
    assert set(seen) == {expected or 2}


@pytest.mark.parametrize(
    "density, expected",
    # dense; sparse with 2 and 40 values per feature, 40 being the bound
    [(None, 10), (0.05, 3), (1.0, 10)],
)
def test_lbfgs_keeps_three_corrections_on_sparse_data_with_few_values_per_feature(
    density, expected, monkeypatch
):
    # There L-BFGS-B's step, O(corrections x coefficients), outweighs the
    # evaluation; elsewhere scipy's (and LogisticRegression's) 10.
    from sklearn_softmax import _solver

    calls = minimize_calls(monkeypatch)
    monkeypatch.setattr(_solver, "_SPARSE_MAX_VALUES_PER_FEATURE", 40)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 5))
    if density is not None:
        X = sp.random(40, 5, density=density, random_state=0, format="csr")
    SoftmaxRegression(max_iter=2).fit(X, np.arange(40) % 3)
    assert [options["maxcor"] for _, options in calls] == [expected]


def test_features_that_never_occur_in_sparse_data_are_left_out_of_the_fit(
    monkeypatch,
):
    # Their coefficients are 0 at the optimum: L-BFGS works on the others
    # only, with the result of a fit on those columns, warm starts included.
    calls = minimize_calls(monkeypatch)
    X = sp.random(60, 8, density=0.4, random_state=0).toarray()
    X[:, [1, 5]] = 0.0
    X = sp.csr_matrix(X)
    y = np.arange(60) % 3
    occurring = [0, 2, 3, 4, 6, 7]
    for Est in (SoftmaxRegression, SparsemaxRegression):
        calls.clear()
        est = Est(max_iter=1000).fit(X, y)
        kept = Est(max_iter=1000).fit(X[:, occurring], y)
        assert [size for size, _ in calls] == [6 * 3 + 3] * 2
        assert_array_equal(est.coef_[:, [1, 5]], 0.0)
        assert_array_equal(est.coef_[:, occurring], kept.coef_)
        assert_array_equal(est.intercept_, kept.intercept_)
        # A warm start from the solution is already there.
        est.set_params(warm_start=True, tol=1e-3).fit(X, y)
        assert est.n_iter_[0] <= 1
    # Dense data are fitted as they are.
    calls.clear()
    SoftmaxRegression(max_iter=1000).fit(X.toarray(), y)
    assert [size for size, _ in calls] == [8 * 3 + 3]


def test_newton_steps_reach_tol_where_lbfgs_stopped_short(monkeypatch):
    # L-BFGS-B's relative reduction test stops 2.5-entmax on iris above
    # tol=1e-10; the Newton steps go on to tol. Without them (a hessian that
    # is never given) the gradient stays above it.
    import warnings

    from sklearn.datasets import load_iris
    from sklearn.preprocessing import StandardScaler

    from sklearn_softmax import EntmaxRegression, _solver

    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    model = EntmaxRegression(alpha=2.5, C=0.5, tol=1e-10, max_iter=10_000)
    calls = []
    newton = _solver._newton_to_tol

    def spy(*args):
        calls.append(args[5])  # the L-BFGS iterations before it
        return newton(*args)

    monkeypatch.setattr(_solver, "_newton_to_tol", spy)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(X, y)
    assert len(calls) == 1 and model.n_iter_[0] > calls[0]
    loss = EntmaxLoss(2.5)
    objective = LinearObjective(loss, fit_intercept=True, n_features=4, n_outputs=3)
    params = objective.pack(model.coef_.T, model.intercept_)
    sw = np.full(len(y), 1 / len(y))
    _, grad = objective.loss_gradient(params, X, y, sw, 1 / (0.5 * len(y)))
    assert np.abs(grad).max() <= 1e-10
    # (fun, x, args, hessian, tol, n_iter, max_iter) -> L-BFGS's point.
    monkeypatch.setattr(_solver, "_newton_to_tol", lambda f, x, *a: (x, a[3]))
    short = EntmaxRegression(alpha=2.5, C=0.5, tol=1e-10, max_iter=10_000).fit(X, y)
    params = objective.pack(short.coef_.T, short.intercept_)
    _, grad = objective.loss_gradient(params, X, y, sw, 1 / (0.5 * len(y)))
    assert np.abs(grad).max() > 1e-10
