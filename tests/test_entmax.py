"""alpha-entmax: against an mpmath oracle, its limits, and the transforms' contract."""

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal

from sklearn_softmax.functional import (
    entmax,
    entmax_threshold,
    softmax,
    sparsemax,
    sparsemax_threshold,
)

ALPHAS = [1.0001, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0]


def entmax_oracle(z, alpha, digits=40):
    """entmax_alpha(z) from the threshold equation, solved by bisection in
    mpmath at ``digits`` digits: sum_j [(alpha - 1) z_j - tau]_+^(1/(alpha-1)) = 1.
    Shares no code with the package (no shift, no q-exponential form)."""
    with mpmath.workdps(digits):
        a = mpmath.mpf(alpha) - 1
        zs = [None if v == -np.inf else mpmath.mpf(float(v)) for v in z]
        finite = [v for v in zs if v is not None]
        top = a * max(finite)

        def probabilities(tau):
            return [
                mpmath.mpf(0)
                if v is None or a * v - tau <= 0
                else (a * v - tau) ** (1 / a)
                for v in zs
            ]

        lo, hi = top - 1, top  # p_max between 0 and 1
        for _ in range(4 * digits):
            mid = (lo + hi) / 2
            if sum(probabilities(mid)) > 1:
                lo = mid
            else:
                hi = mid
        return np.array([float(p) for p in probabilities((lo + hi) / 2)])


def oracle_cases(rng):
    """Random, adversarial (ties, huge spread, one dominant, masked) rows."""
    cases = [rng.normal(scale=scale, size=k) for scale in (0.1, 1, 5) for k in (3, 17)]
    cases += [
        np.array([1.0, 1.0, 1.0, 0.0]),  # ties
        np.array([0.0, 1e-9, 2e-9, -1e-9]),  # nearly uniform
        np.array([3.0, 0.0, -np.inf, 1.0]),  # masked class
        np.array([50.0, 0.0, 0.1]),  # one dominant
        np.round(rng.normal(scale=2, size=12)),  # ties among many
    ]
    return cases


@pytest.mark.parametrize("alpha", ALPHAS)
def test_entmax_matches_the_mpmath_threshold_root(alpha):
    worst = 0.0
    for z in oracle_cases(np.random.default_rng(0)):
        p = entmax(z, alpha)
        expected = entmax_oracle(z, alpha)
        support = expected > 1e-300
        worst = max(worst, np.max(np.abs(p - expected)[support] / expected[support]))
        assert_array_equal(p[~support], 0.0)
        assert abs(p.sum() - 1) <= 4 * np.finfo(float).eps
    assert worst <= 1e-12


def test_alpha_one_and_two_are_softmax_and_sparsemax_exactly():
    z = np.random.default_rng(1).normal(size=(5, 7))
    assert_array_equal(entmax(z, 1.0), softmax(z))
    assert_array_equal(entmax(z, 2.0), sparsemax(z))
    assert_array_equal(entmax_threshold(z, 2.0)[0], sparsemax_threshold(z)[0])


@pytest.mark.parametrize("alpha, limit", [(1 + 1e-4, softmax), (2 - 1e-6, sparsemax)])
def test_entmax_is_continuous_at_softmax_and_sparsemax(alpha, limit):
    z = np.random.default_rng(2).normal(scale=2, size=(20, 6))
    P = entmax(z, alpha)
    assert np.isfinite(P).all()
    assert_allclose(P, limit(z), atol=2e-4)


def test_entmax_is_continuous_in_alpha():
    z = np.random.default_rng(3).normal(size=(4, 9))
    for alpha in (1.2, 1.5, 2.5):
        assert_allclose(entmax(z, alpha + 1e-9), entmax(z, alpha), atol=1e-7)


@pytest.mark.parametrize("alpha", [1.25, 1.5, 3.0])
def test_entmax_threshold_gives_the_probabilities(alpha):
    z = np.random.default_rng(4).normal(scale=3, size=(6, 8))
    for T in (0.5, 1.0, 3.0):
        tau, size = entmax_threshold(z, alpha, temperature=T)
        base = np.maximum((alpha - 1) * z / T - tau[:, None], 0.0)
        assert_allclose(entmax(z, alpha, temperature=T), base ** (1 / (alpha - 1)))
        assert_array_equal(size, (entmax(z, alpha, temperature=T) > 0).sum(axis=1))


@pytest.mark.parametrize("alpha", [1.25, 1.5, 2.5])
def test_entmax_huge_logits_masks_and_dtypes(alpha):
    assert_array_equal(entmax([1e300, 0.0, -1e300], alpha), [1.0, 0.0, 0.0])
    z = np.array([[1e300, 1e300, -np.inf]])
    assert_allclose(entmax(z, alpha), [[0.5, 0.5, 0.0]])
    assert_allclose(entmax(z, alpha, temperature=1e-300), [[0.5, 0.5, 0.0]])
    z32 = np.array([[0.5, 1.0, -np.inf]], dtype=np.float32)
    out = entmax(z32, alpha)
    assert out.dtype == np.float32 and out[0, 2] == 0
    assert_allclose(out, entmax(z32.astype(np.float64), alpha), rtol=1e-6)
    assert entmax(np.array([1, 2]), alpha).dtype == np.float64


@pytest.mark.parametrize(
    "z, alpha, match",
    [
        ([np.nan, 1.0], 1.5, "NaN"),
        ([np.inf, 1.0], 1.5, r"\+inf"),
        ([-np.inf, -np.inf], 1.5, "no finite entry"),
        ([0.0, 1.0], 0.99, "alpha must be"),
        ([0.0, 1.0], np.nan, "alpha must be"),
        ([0.0, 1.0], np.inf, "alpha must be"),
    ],
)
def test_entmax_bad_input_is_a_value_error(z, alpha, match):
    with pytest.raises(ValueError, match=match):
        entmax(z, alpha)
    with pytest.raises(ValueError, match=match):
        entmax_threshold(z, alpha)


def test_entmax_axis():
    z = np.random.default_rng(5).normal(size=(3, 4, 5))
    for axis in (0, 1, -1):
        moved = np.moveaxis(z, axis, -1)
        expected = np.moveaxis(entmax(moved.reshape(-1, z.shape[axis])).reshape(
            moved.shape), -1, axis)
        assert_allclose(entmax(z, axis=axis), expected)
    assert_allclose(entmax(z, axis=None).sum(), 1.0)


# --- properties (hypothesis) --------------------------------------------------

logit_arrays = arrays(
    np.float64,
    st.tuples(st.integers(1, 5), st.integers(1, 8)),
    elements=st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False),
)
alphas = st.floats(1.0, 4.0)


@settings(max_examples=150, deadline=None)
@given(z=logit_arrays, alpha=alphas, T=st.floats(1e-2, 1e2))
def test_entmax_is_a_distribution_that_keeps_the_order(z, alpha, T):
    P = entmax(z, alpha, temperature=T)
    assert np.all(P >= 0)
    assert_allclose(P.sum(axis=-1), 1.0, rtol=1e-13)
    order = np.argsort(z, axis=-1, kind="stable")
    assert np.all(np.diff(np.take_along_axis(P, order, axis=-1), axis=-1) >= -1e-15)


@settings(max_examples=100, deadline=None)
@given(z=logit_arrays, alpha=alphas, shift=st.floats(-1e3, 1e3))
def test_entmax_is_shift_invariant(z, alpha, shift):
    assert_allclose(entmax(z + shift, alpha), entmax(z, alpha), atol=1e-9)


@settings(max_examples=100, deadline=None)
@given(z=logit_arrays, alpha=st.floats(1.05, 4.0))
def test_entmax_maximizes_its_regularized_objective(z, alpha):
    # <p, z> + H_alpha(p) is at least its value at a perturbed distribution.
    P = entmax(z, alpha)

    def objective(p):
        return (p * z).sum(-1) + (1 - (p**alpha).sum(-1)) / (alpha * (alpha - 1))

    rng = np.random.default_rng(0)
    for _ in range(3):
        other = np.abs(P + 0.01 * rng.random(P.shape))
        other /= other.sum(-1, keepdims=True)
        scale = np.abs(z).max(-1) + 1
        assert np.all(objective(P) >= objective(other) - 1e-9 * scale)


# --- EntmaxRegression minimizes its objective, written independently -------


def _entmax_bisection(Z, alpha, n_steps=120):
    """entmax by bisection on tau in [max(a z) - 1, max(a z)]: shares no
    code with the package."""
    a = alpha - 1
    A = a * Z
    lo, hi = A.max(axis=1) - 1, A.max(axis=1)
    for _ in range(n_steps):
        mid = (lo + hi) / 2
        total = (np.maximum(A - mid[:, None], 0) ** (1 / a)).sum(axis=1)
        lo, hi = np.where(total > 1, mid, lo), np.where(total > 1, hi, mid)
    return np.maximum(A - ((lo + hi) / 2)[:, None], 0) ** (1 / a)


def _objective(params, X, y, alpha, C, n_classes):
    """Mean Tsallis Fenchel-Young loss on one-hot targets + ||W||^2 / (2 C n)."""
    d = X.shape[1]
    W = params[: n_classes * d].reshape(n_classes, d)
    b = params[n_classes * d :]
    Z = X @ W.T + b
    P = _entmax_bisection(Z, alpha)
    H = (1 - (P**alpha).sum(axis=1)) / (alpha * (alpha - 1))  # H(one-hot) = 0
    loss = (P * Z).sum(axis=1) - Z[np.arange(len(y)), y] + H
    return loss.mean() + (W**2).sum() / (2 * C * len(y))


@pytest.mark.parametrize("alpha", [1.25, 1.5, 2.5])
def test_entmax_regression_minimizes_the_objective_written_independently(alpha):
    from sklearn.datasets import load_iris
    from sklearn.preprocessing import StandardScaler

    from sklearn_softmax import EntmaxRegression

    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    model = EntmaxRegression(alpha=alpha, C=0.5, tol=1e-10, max_iter=10_000).fit(X, y)
    params = np.concatenate([model.coef_.ravel(), model.intercept_])
    f0 = _objective(params, X, y, alpha, 0.5, 3)
    eps = 1e-6
    gradient = np.array(
        [
            (
                _objective(params + eps * e, X, y, alpha, 0.5, 3)
                - _objective(params - eps * e, X, y, alpha, 0.5, 3)
            )
            / (2 * eps)
            for e in np.eye(len(params))
        ]
    )
    assert np.abs(gradient).max() <= 1e-8 + 1e-9  # central differences' noise
    rng = np.random.default_rng(0)
    for _ in range(20):
        step = rng.normal(size=len(params))
        step *= 1e-4 / np.linalg.norm(step)
        assert _objective(params + step, X, y, alpha, 0.5, 3) >= f0 - 1e-13
