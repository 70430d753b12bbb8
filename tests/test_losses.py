import numpy as np
import pytest
import scipy.special
from numpy.testing import assert_allclose, assert_array_equal

from sklearn_softmax import SoftmaxRegression, SparsemaxRegression
from sklearn_softmax.functional import sparsemax, sparsemax_threshold
from sklearn_softmax.losses import EntmaxLoss, SoftmaxLoss, SparsemaxLoss, losses

# Every member of the family the package names, each held to one contract.
LOSSES = losses()


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
def test_hessian_product_matches_finite_differences_of_the_gradient(loss):
    rng = np.random.default_rng(10)
    Z = rng.normal(scale=2, size=(8, 5))
    V = rng.normal(size=Z.shape)
    Q = random_targets(rng, 8, 5, one_hot=False)
    eps = 1e-6
    fd = (loss.gradient(Z + eps * V, Q) - loss.gradient(Z - eps * V, Q)) / (2 * eps)
    # Away from the support's edges the gradient is smooth (sparsemax: locally
    # linear), so a central difference is exact up to rounding.
    assert_allclose(loss.hessian_product(Z, V), fd, atol=1e-6)
    g = loss.hessian_weights(Z)
    H = np.stack([np.diag(g_i) - np.outer(g_i, g_i) / g_i.sum() for g_i in g])
    assert_allclose(loss.hessian_product(Z, V), np.einsum("nij,nj->ni", H, V))
    # Shift invariance: the Hessian has the constant vector in its kernel.
    assert_allclose(loss.hessian_product(Z, np.ones_like(Z)), 0.0, atol=1e-15)


@pytest.mark.parametrize("loss", LOSSES, ids=repr)
def test_public_loss_and_gradient_are_the_two_halves(loss):
    rng = np.random.default_rng(11)
    Z = rng.normal(size=(6, 4))
    y = rng.integers(4, size=6)
    value, grad = loss.loss_gradient(Z, y)
    assert_allclose(loss.loss(Z, y), value, rtol=1e-15)
    assert_allclose(loss.gradient(Z, y), grad, rtol=1e-15)
    assert loss.loss(Z.tolist(), y.tolist()).shape == (6,)  # array-likes


@pytest.mark.parametrize("loss", LOSSES, ids=repr)
def test_loss_is_non_negative_and_zero_at_its_prediction(loss):
    rng = np.random.default_rng(12)
    Z = rng.normal(scale=2, size=(50, 5))
    values = loss.loss(Z, rng.integers(5, size=50))
    assert np.all(values >= 0)
    if loss.alpha != 1:  # the Fenchel-Young form (softmax: the cross-entropy)
        assert_allclose(loss.loss(Z, loss.predict_proba(Z)), 0.0, atol=1e-12)
        assert_allclose(loss.gradient(Z, loss.predict_proba(Z)), 0.0, atol=1e-15)


def test_entmax_loss_limits_are_the_softmax_and_sparsemax_losses():
    rng = np.random.default_rng(13)
    Z = rng.normal(scale=2, size=(30, 5))
    y = rng.integers(5, size=30)
    Q = random_targets(rng, 30, 5, one_hot=False)
    for alpha, limit in ((1 + 1e-6, SoftmaxLoss()), (2.0, SparsemaxLoss())):
        assert_allclose(EntmaxLoss(alpha).loss(Z, y), limit.loss(Z, y), atol=2e-5)
        assert_allclose(
            EntmaxLoss(alpha).gradient(Z, Q), limit.gradient(Z, Q), atol=1e-6
        )
    # With label proportions the Fenchel-Young loss at alpha = 1 is the
    # cross-entropy minus the constant Shannon entropy of q.
    entropy = -(Q * np.log(np.where(Q > 0, Q, 1))).sum(axis=1)
    assert_allclose(
        EntmaxLoss(1 + 1e-7).loss(Z, Q), SoftmaxLoss().loss(Z, Q) - entropy, rtol=1e-5
    )
    assert EntmaxLoss(2.0).sparse and not SoftmaxLoss().sparse
    assert EntmaxLoss(1.5) == EntmaxLoss(1.5) != EntmaxLoss(1.25)
    # The members at 1 and 2 run softmax's and sparsemax's code.
    assert EntmaxLoss(1.0) == SoftmaxLoss() and EntmaxLoss(1.0).kernel == "softmax"
    assert EntmaxLoss(2.0).kernel == "sparsemax" and EntmaxLoss(1.5).kernel == "entmax"
    assert_array_equal(EntmaxLoss(1.0).loss(Z, Q), SoftmaxLoss().loss(Z, Q))
    assert_array_equal(EntmaxLoss(2.0).loss(Z, Q), SparsemaxLoss().loss(Z, Q))


def test_entmax_loss_against_its_formula_in_mpmath():
    import mpmath
    from test_entmax import entmax_oracle

    z, y, alpha = np.array([0.3, -1.2, 2.0, 0.1]), 1, 1.5
    p = entmax_oracle(z, alpha)
    with mpmath.workdps(40):
        P = [mpmath.mpf(v) for v in p]
        H = (1 - sum(v**alpha for v in P)) / (alpha * (alpha - 1))
        expected = float(sum(P[j] * z[j] for j in range(4)) - z[y] + H)
    assert_allclose(EntmaxLoss(alpha).loss(z[None], np.array([y])), [expected],
                    rtol=1e-12)


@pytest.mark.parametrize(
    "z", [[0.0, -30.0, -35.0], [0.0, -40.0], [0.0, 0.0, -30.0], [0.0, -1e-10]]
)
def test_softmax_loss_keeps_its_relative_precision_near_zero(z):
    import mpmath

    # mpmath at 100 digits: log(1 + e^-30 + e^-35) = 9.4207e-14 (a plain
    # log(1 + r) gave 9.4147e-14), log(1 + e^-40) = 4.2e-18 (it gave 0).
    with mpmath.workdps(100):
        exact = float(mpmath.log(sum(mpmath.e ** mpmath.mpf(v) for v in z)))
    Z = np.array([z])
    assert_allclose(SoftmaxLoss().loss(Z, np.array([0])), [exact], rtol=1e-14)
    assert_allclose(SoftmaxLoss().loss(Z, np.eye(len(z))[:1]), [exact], rtol=1e-14)


@pytest.mark.parametrize("loss", LOSSES, ids=repr)
def test_gradient_is_prediction_minus_target(loss):
    rng = np.random.default_rng(1)
    Z = rng.normal(size=(20, 4))
    Q = random_targets(rng, 20, 4, one_hot=False)
    _, G = loss.loss_gradient(Z, Q)
    assert_allclose(G, loss.predict_proba(Z) - Q, atol=1e-15)
    assert_allclose(G.sum(axis=1), 0.0, atol=1e-15)


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
    # Z + 1e12 itself is rounded to 1e-4.
    assert_allclose(value_big, value, rtol=1e-3, atol=1e-4)
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
