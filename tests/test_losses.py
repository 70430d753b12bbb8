import numpy as np
import pytest
import scipy.special
from numpy.testing import assert_allclose

from sklearn_softmax import SoftmaxRegression, SparsemaxRegression
from sklearn_softmax.functional import sparsemax, sparsemax_threshold
from sklearn_softmax.losses import SoftmaxLoss, SparsemaxLoss

LOSSES = [SoftmaxLoss(), SparsemaxLoss()]


def random_targets(rng, n, k, one_hot):
    if one_hot:
        return np.eye(k)[rng.integers(k, size=n)]
    Y = (rng.random((n, k)) < 0.4).astype(float)
    Y[Y.sum(axis=1) == 0, 0] = 1
    return Y / Y.sum(axis=1, keepdims=True)


def finite_difference_gradient(f, Z, eps=1e-6):
    G = np.empty_like(Z)
    for idx in np.ndindex(Z.shape):
        E = np.zeros_like(Z)
        E[idx] = eps
        G[idx] = (f(Z + E) - f(Z - E)) / (2 * eps)
    return G


@pytest.mark.parametrize("loss", LOSSES, ids=repr)
@pytest.mark.parametrize("one_hot", [True, False])
def test_gradient_matches_finite_differences(loss, one_hot):
    rng = np.random.default_rng(0)
    Z = rng.normal(scale=2, size=(8, 5))
    Q = random_targets(rng, 8, 5, one_hot)
    _, G = loss.loss_gradient(Z, Q)
    fd = finite_difference_gradient(lambda Z_: loss.loss_gradient(Z_, Q)[0].sum(), Z)
    assert_allclose(G, fd, atol=1e-7)


@pytest.mark.parametrize("loss", LOSSES, ids=repr)
def test_gradient_is_prediction_minus_target(loss):
    rng = np.random.default_rng(1)
    Z = rng.normal(size=(20, 4))
    Q = random_targets(rng, 20, 4, one_hot=False)
    _, G = loss.loss_gradient(Z, Q)
    assert_allclose(G, loss.predict_proba(Z) - Q, atol=1e-15)


def test_softmax_loss_is_cross_entropy():
    rng = np.random.default_rng(2)
    Z = rng.normal(scale=3, size=(30, 6))
    y = rng.integers(6, size=30)
    loss, _ = SoftmaxLoss().loss_gradient(Z, np.eye(6)[y])
    expected = -scipy.special.log_softmax(Z, axis=1)[np.arange(30), y]
    assert_allclose(loss, expected, rtol=1e-13)


def test_sparsemax_loss_matches_paper_formula():
    # Martins & Astudillo (2016), eq. (17), computed term by term.
    rng = np.random.default_rng(3)
    Z = rng.normal(scale=2, size=(30, 6))
    Q = random_targets(rng, 30, 6, one_hot=False)
    tau, _ = sparsemax_threshold(Z)
    support = sparsemax(Z) > 0
    expected = (
        -(Q * Z).sum(axis=1)
        + 0.5 * np.where(support, Z**2 - tau[:, None] ** 2, 0).sum(axis=1)
        + 0.5 * (Q**2).sum(axis=1)
    )
    loss, _ = SparsemaxLoss().loss_gradient(Z, Q)
    assert_allclose(loss, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("loss", LOSSES, ids=repr)
def test_loss_is_shift_invariant_and_stable(loss):
    rng = np.random.default_rng(4)
    Z = rng.normal(size=(10, 4))
    Q = random_targets(rng, 10, 4, one_hot=True)
    value, grad = loss.loss_gradient(Z, Q)
    value_big, grad_big = loss.loss_gradient(Z + 1e12, Q)
    assert_allclose(value_big, value, rtol=1e-3)
    assert_allclose(grad_big, grad, atol=1e-3)
    value_huge, grad_huge = loss.loss_gradient(
        np.array([[1e300, -1e300]]), np.array([[0.0, 1.0]])
    )
    assert np.isfinite(value_huge).all() and value_huge[0] == pytest.approx(2e300)
    assert_allclose(grad_huge, [[1.0, -1.0]])


def test_sparsemax_loss_is_zero_iff_prediction_equals_target():
    Z = np.array([[0.0, 0.5, 0.7], [3.0, 0.0, 0.0]])
    P = sparsemax(Z)
    loss, grad = SparsemaxLoss().loss_gradient(Z, P)
    assert_allclose(loss, 0.0, atol=1e-15)
    assert_allclose(grad, 0.0, atol=1e-15)
    rng = np.random.default_rng(5)
    Z = rng.normal(size=(200, 5))
    loss, _ = SparsemaxLoss().loss_gradient(Z, random_targets(rng, 200, 5, False))
    assert np.all(loss >= -1e-12)


@pytest.mark.parametrize("loss", LOSSES, ids=repr)
def test_float32(loss):
    rng = np.random.default_rng(6)
    Z = rng.normal(size=(10, 4))
    Q = random_targets(rng, 10, 4, one_hot=True)
    value32, grad32 = loss.loss_gradient(Z.astype(np.float32), Q.astype(np.float32))
    value64, grad64 = loss.loss_gradient(Z, Q)
    assert grad32.dtype == np.float32
    assert_allclose(value32, value64, rtol=1e-5, atol=1e-6)
    assert_allclose(grad32, grad64, atol=1e-6)


@pytest.mark.parametrize("loss", LOSSES, ids=repr)
def test_class_index_targets_equal_one_hot(loss):
    rng = np.random.default_rng(7)
    Z = rng.normal(scale=2, size=(40, 6))
    y = rng.integers(6, size=40)
    value_idx, grad_idx = loss.loss_gradient(Z, y)
    value_hot, grad_hot = loss.loss_gradient(Z, np.eye(6)[y])
    assert_allclose(value_idx, value_hot, rtol=1e-13, atol=1e-15)
    assert_allclose(grad_idx, grad_hot, atol=1e-15)


@pytest.mark.parametrize("loss", LOSSES, ids=repr)
def test_overwrite_z(loss):
    rng = np.random.default_rng(8)
    Z = rng.normal(size=(10, 4))
    Q = random_targets(rng, 10, 4, one_hot=False)
    Z_before = Z.copy()
    value, grad = loss.loss_gradient(Z, Q)
    assert_allclose(Z, Z_before, rtol=0, atol=0)  # untouched by default
    value_in_place, grad_in_place = loss.loss_gradient(Z, Q, overwrite_z=True)
    assert grad_in_place is Z
    assert_allclose(value_in_place, value, rtol=1e-15)
    assert_allclose(grad_in_place, grad, rtol=1e-15)


@pytest.mark.parametrize("loss", LOSSES, ids=repr)
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_logits_are_a_value_error(loss, bad):
    # The same error on the NumPy and the compiled (numba) sparsemax path; CI
    # runs this file on both. -inf in one entry is allowed (a masked class),
    # not a whole row of it.
    Z = np.array([[bad, 1.0, 0.0], [0.0, 0.5, 1.0]])
    if bad == -np.inf:
        Z[0] = bad
    with pytest.raises(ValueError, match="logits contain NaN or infinity"):
        loss.loss_gradient(Z, np.array([1, 2]))


@pytest.mark.parametrize("Est", [SoftmaxRegression, SparsemaxRegression])
def test_fit_whose_logits_overflow_is_a_value_error(Est):
    X = np.random.default_rng(0).normal(size=(60, 3))
    X[3, 1] = 1e160
    with pytest.raises(ValueError, match="Scale the data"):
        Est().fit(X, np.arange(60) % 3)


@pytest.mark.parametrize("loss", LOSSES, ids=repr)
def test_class_indices_out_of_range_do_not_wrap(loss):
    Z = np.zeros((2, 3))
    for Q in (np.array([0, -1]), np.array([0, 3])):
        with pytest.raises(ValueError, match=r"Class indices must be in \[0, 2\]"):
            loss.loss_gradient(Z, Q)
    with pytest.raises(ValueError, match="integers"):
        loss.loss_gradient(Z, np.array([0.0, 1.0]))
