import warnings

import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal

from sklearn_softmax.functional import (
    log_softmax,
    logsumexp,
    softmax,
    sparsemax,
    sparsemax_threshold,
)
from sklearn_softmax.losses import SoftmaxLoss

TRANSFORMS = [softmax, log_softmax, logsumexp, sparsemax]
MAPPINGS = [softmax, sparsemax]


def sparsemax_bisection(z, n_steps=200):
    """Independent reference: bisection on tau of sum(max(z - tau, 0)) = 1."""
    z = np.asarray(z, dtype=np.float64)
    lo = z.max(axis=-1, keepdims=True) - 1.0
    hi = z.max(axis=-1, keepdims=True)
    for _ in range(n_steps):
        mid = (lo + hi) / 2
        too_low = np.maximum(z - mid, 0).sum(axis=-1, keepdims=True) > 1
        lo = np.where(too_low, mid, lo)
        hi = np.where(too_low, hi, mid)
    tau = (lo + hi) / 2
    return np.maximum(z - tau, 0), tau[..., 0]


# --- oracles -----------------------------------------------------------------


def log_softmax_long_double(z, axis):
    """log_softmax in extended precision, with log1p of the non-maximal terms.

    SciPy's log_softmax is not the oracle here: near 0 it loses relative
    precision (off by 5e-13 on these values; this one by < 1e-15)."""
    z = np.moveaxis(np.asarray(z, dtype=np.longdouble), axis, -1)
    shifted = z - z.max(axis=-1, keepdims=True)
    E = np.exp(shifted)
    np.put_along_axis(E, np.argmax(shifted, axis=-1)[..., None], 0, axis=-1)
    out = shifted - np.log1p(E.sum(axis=-1, keepdims=True))
    with np.errstate(over="ignore"):  # beyond float64's range: -inf, as rounded
        return np.moveaxis(out, -1, axis).astype(np.float64)


@pytest.mark.parametrize(
    "z, expected",
    [
        ([0.0, -40.0], 4.248354255291589e-18),
        ([0.0, -30.0, -35.0], 9.420674136441201e-14),
        ([5.0, 5.0 - 745.0], 5.0),  # the smaller term underflows
        ([3.0, 3.0], 3.0 + np.log(2.0)),
    ],
)
def test_logsumexp_keeps_relative_precision_near_its_maximum(z, expected):
    # Exact values: max + log1p(sum of exp(z_j - max) over the other terms).
    assert float(logsumexp(z)) == pytest.approx(expected, rel=1e-15)
    assert float(log_softmax(z)[0]) == pytest.approx(z[0] - expected, rel=1e-15)


@pytest.mark.parametrize(
    "z, temperature, expected",
    [
        ([1.7e308, -1.7e308], 1e308, [0.96770454, 0.03229546]),
        ([1.7e308, -1.7e308], 1.5, [1.0, 0.0]),
        (np.float32([3e38, -3e38]), 1e38, [0.9975274, 0.00247262]),
        (np.float32([3e38, -3e38]), 5e38, [0.7685248, 0.2314752]),  # T > float32 max
        (np.float32([1.0, 0.5]), 1e-46, [1.0, 0.0]),  # T < float32's tiniest
    ],
)
def test_temperature_with_logits_whose_range_overflows(z, temperature, expected):
    P = softmax(z, temperature=temperature)
    dtype = np.asarray(z).dtype
    assert P.dtype == dtype
    assert_allclose(P, expected, rtol=2e-6)
    z64 = np.asarray(z, dtype=np.float64)
    exact = log_softmax_long_double(z64 / np.longdouble(temperature), axis=0)
    log_P = log_softmax(z, temperature=temperature)
    in_range = np.abs(exact) <= np.finfo(dtype).max  # else -inf, exactly rounded
    assert_allclose(log_P[in_range], exact[in_range], rtol=1e-6)
    assert np.isneginf(log_P[~in_range]).all()
    # sparsemax of z / T, from the exact scaled logits.
    assert_allclose(
        sparsemax(z, temperature=temperature),
        sparsemax(np.clip(z64 / temperature, -1e300, 1e300)),
        atol=1e-6,
    )
    assert np.isfinite(SoftmaxLoss().predict_log_proba([z64], temperature=7)).all()


@pytest.mark.parametrize("f", TRANSFORMS)
def test_axis_out_of_range_is_a_value_error(f):
    for axis in (2, -3, 1.0, True, (0, 2)):
        with pytest.raises(ValueError, match="axis must be an integer in"):
            f(np.ones((2, 3)), axis=axis)
    with pytest.raises(ValueError, match="distinct axes"):
        f(np.ones((2, 3)), axis=(0, -2))


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (softmax, scipy.special.softmax),
        (log_softmax, scipy.special.log_softmax),
        (logsumexp, scipy.special.logsumexp),
    ],
)
@pytest.mark.parametrize("axis", [None, (0, 2), (2, 0), (1,)])
def test_axis_none_and_tuples_as_scipy(ours, theirs, axis):
    z = np.random.default_rng(0).normal(scale=3, size=(2, 3, 4))
    assert_allclose(ours(z, axis=axis), theirs(z, axis=axis), rtol=1e-13)


@pytest.mark.parametrize("axis", [None, (0, 2)])
def test_sparsemax_over_several_axes_is_over_the_flattened_slices(axis):
    z = np.random.default_rng(1).normal(size=(2, 3, 4))
    axes = (0, 1, 2) if axis is None else axis
    rest = [d for d in range(3) if d not in axes]
    flat = np.transpose(z, rest + list(axes)).reshape(*[z.shape[d] for d in rest], -1)
    expected = np.transpose(
        sparsemax(flat).reshape(np.transpose(z, rest + list(axes)).shape),
        np.argsort(rest + list(axes)),
    )
    assert_allclose(sparsemax(z, axis=axis), expected)
    assert_allclose(sparsemax(z, axis=axis).sum(axis=axis), 1.0)
    tau, size = sparsemax_threshold(z, axis=axis)
    assert tau.shape == size.shape == tuple(z.shape[d] for d in rest)


@pytest.mark.parametrize("f", TRANSFORMS)
def test_sparse_input_is_a_clear_value_error(f):
    import scipy.sparse as sp

    with pytest.raises(ValueError, match="scipy.sparse matrix.*toarray"):
        f(sp.csr_matrix(np.eye(3)))


@pytest.mark.parametrize("f", TRANSFORMS)
def test_float16_and_longdouble_give_float64(f):
    z = np.array([[1.0, 2.0, 3.0]])
    for dtype in (np.float16, np.longdouble):
        out = f(z.astype(dtype))
        assert out.dtype == np.float64
        assert_allclose(out, f(z), rtol=1e-3)


@pytest.mark.parametrize("f", MAPPINGS + [log_softmax])
def test_subnormal_logits_with_a_subnormal_temperature(f):
    # z / T = [0.7, 0] is representable; float32(2e-45) is 2.8e-45, a
    # subnormal with two significant bits: the division is done in float64.
    z = np.array([1.4013e-45, 0.0], dtype=np.float32)
    exact = f(np.array([np.float64(z[0]) / 2e-45, 0.0]))
    got = f(z, temperature=2e-45)
    assert got.dtype == np.float32
    assert_allclose(got, exact, rtol=1e-6)


@pytest.mark.parametrize("f", TRANSFORMS)
def test_masked_entries_are_masked_classes(f):
    z = np.ma.array([[1.0, 2.0, 3.0], [0.0, 5.0, -1.0]], mask=[[0, 0, 1], [1, 0, 0]])
    expected = f(np.where(z.mask, -np.inf, z.data))
    for masked in (z, z.astype(int)):
        got = f(masked)
        assert not isinstance(got, tuple) and not np.ma.isMaskedArray(got)
        assert_allclose(got, f(np.where(masked.mask, -np.inf, masked.data)))
    assert_allclose(f(z), expected)


@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("temperature", [0.3, 1.0, 4.0])
def test_softmax_family_matches_scipy(axis, temperature):
    z = np.random.default_rng(0).normal(scale=5, size=(7, 5))
    assert_allclose(
        softmax(z, axis=axis, temperature=temperature),
        scipy.special.softmax(z / temperature, axis=axis),
        rtol=1e-13,
    )
    assert_allclose(
        log_softmax(z, axis=axis, temperature=temperature),
        log_softmax_long_double(z / temperature, axis=axis),
        rtol=1e-14,
    )
    assert_allclose(
        logsumexp(z, axis=axis, temperature=temperature),
        temperature * scipy.special.logsumexp(z / temperature, axis=axis),
        rtol=1e-13,
    )


@pytest.mark.parametrize("n_classes", [1, 2, 3, 10, 257])
@pytest.mark.parametrize("scale", [0.01, 1.0, 100.0])
def test_sparsemax_matches_bisection(n_classes, scale):
    z = np.random.default_rng(n_classes).normal(scale=scale, size=(50, n_classes))
    p_ref, tau_ref = sparsemax_bisection(z)
    assert_allclose(sparsemax(z), p_ref, atol=1e-12)
    tau, size = sparsemax_threshold(z)
    assert_allclose(tau, tau_ref, atol=1e-12)
    assert_array_equal(size, (p_ref > 1e-12).sum(axis=-1))


def test_sparsemax_known_values():
    # Two-class closed form: p1 = clip((1 + z1 - z0) / 2, 0, 1).
    d = np.linspace(-3, 3, 61)
    z = np.stack([np.zeros_like(d), d], axis=1)
    assert_allclose(sparsemax(z)[:, 1], np.clip((1 + d) / 2, 0, 1), atol=1e-15)
    assert_array_equal(sparsemax([1.0, 1.0, 1.0]), [1 / 3, 1 / 3, 1 / 3])
    assert_array_equal(sparsemax([5.0, 0.0, 0.0]), [1.0, 0.0, 0.0])


@pytest.mark.parametrize("k", [1, 2, 3, 5, 20])
def test_sparsemax_ties_and_support_of_any_size(k):
    # k tied leaders just inside the support, the rest tied just outside it:
    # a threshold that is only right for a support of one element fails here.
    n = 30
    z = np.full(n, -1.0 / k - 1e-3)
    z[:k] = 0.0
    p = sparsemax(z)
    assert_allclose(p[:k], 1.0 / k, rtol=1e-14)
    assert_array_equal(p[k:], 0.0)
    tau, size = sparsemax_threshold(z)
    assert size == k
    assert_allclose(tau, -1.0 / k, rtol=1e-14)
    # And just inside: all n entries share the mass.
    z[k:] = -1.0 / k + 1e-3
    assert (sparsemax(z) > 0).sum() == n


def test_sparsemax_is_the_euclidean_projection():
    # Optimality: for p = sparsemax(z), no feasible direction lowers ||p - z||^2
    # (KKT: z - p = tau on the support and z - p <= tau elsewhere).
    z = np.random.default_rng(1).normal(size=(100, 8))
    p = sparsemax(z)
    tau, _ = sparsemax_threshold(z)
    r = z - p
    support = p > 0
    assert_allclose(np.where(support, r, tau[:, None]), np.repeat(tau[:, None], 8, 1))
    assert np.all(r[~support] <= tau[:, None].repeat(8, 1)[~support] + 1e-12)


# --- temperature -------------------------------------------------------------


@pytest.mark.parametrize("f", MAPPINGS + [log_softmax])
@pytest.mark.parametrize("temperature", [1e-3, 0.5, 2.0, 1e3])
def test_temperature_divides_logits(f, temperature):
    z = np.random.default_rng(2).normal(scale=3, size=(20, 6))
    assert_allclose(f(z, temperature=temperature), f(z / temperature), atol=1e-12)


def test_logsumexp_temperature_is_smooth_max():
    z = np.random.default_rng(3).normal(size=(10, 5))
    for T in [0.5, 2.0]:
        assert_allclose(
            logsumexp(z, temperature=T),
            T * np.log(np.exp(z / T).sum(axis=-1)),
            rtol=1e-13,
        )
    assert_allclose(logsumexp(z, temperature=1e-6), z.max(axis=-1), atol=1e-5)
    assert_array_equal(logsumexp(z, temperature=1e-300), z.max(axis=-1))


@pytest.mark.parametrize("T", [0.1, 1.0, 3.0])
def test_logsumexp_gradient_is_softmax(T):
    z = np.random.default_rng(4).normal(size=6)
    eps = 1e-6
    fd = np.array(
        [
            (
                logsumexp(z + eps * e, temperature=T)
                - logsumexp(z - eps * e, temperature=T)
            )
            / (2 * eps)
            for e in np.eye(6)
        ]
    )
    assert_allclose(fd, softmax(z, temperature=T), rtol=1e-7, atol=1e-10)


@pytest.mark.parametrize("f", MAPPINGS)
def test_zero_temperature_limit_is_argmax(f):
    z = np.random.default_rng(5).normal(size=(30, 7))
    expected = np.eye(7)[z.argmax(axis=1)]
    assert_array_equal(f(z, temperature=1e-8), expected)


@pytest.mark.parametrize("f", TRANSFORMS + [sparsemax_threshold])
@pytest.mark.parametrize("temperature", [0, -1.0, np.nan, np.inf, "1", True])
def test_bad_temperature_raises(f, temperature):
    with pytest.raises(ValueError, match="temperature"):
        f([0.0, 1.0], temperature=temperature)


# --- numerical stability and input validation --------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_huge_logits_are_stable(dtype):
    big = np.finfo(dtype).max / 2
    z = np.array([[big, 0.0, -big], [-big, -big, -big], [big, big, 0.0]], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        P = softmax(z)
        S = sparsemax(z)
        L = log_softmax(z)
        lse = logsumexp(z)
    for out in (P, S, L, lse):
        assert out.dtype == dtype
        assert np.all(~np.isnan(out))
    expected = np.array([[1, 0, 0], [1 / 3, 1 / 3, 1 / 3], [0.5, 0.5, 0]], dtype=dtype)
    assert_allclose(P, expected, rtol=1e-6)
    assert_allclose(S, expected, rtol=1e-6)
    # log(3) and log(2) vanish next to big.
    assert_allclose(lse, [big, -big, big], rtol=1e-6)
    assert L[0, 0] == 0 and L[0, 2] == -2 * big
    # Differences beyond the dtype's range round to -inf: their exact value.
    assert_array_equal(
        log_softmax(np.array([big, -big, -2 * big], dtype=dtype))[1:],
        [-2 * big, -np.inf],
    )


def test_1e300_logits():
    z = np.array([1e300, -1e300, 0.0])
    assert_array_equal(softmax(z), [1.0, 0.0, 0.0])
    assert_array_equal(sparsemax(z), [1.0, 0.0, 0.0])
    assert_array_equal(log_softmax(z), [0.0, -2e300, -1e300])
    assert logsumexp(z) == 1e300
    # Temperature applied after the shift: 1e300 / 1e-10 would overflow.
    assert_array_equal(softmax(z, temperature=1e-10), [1.0, 0.0, 0.0])
    assert logsumexp(z, temperature=1e-10) == 1e300


@pytest.mark.parametrize("f", TRANSFORMS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_masked_classes(f, dtype):
    z = np.array([[0.5, -np.inf, 0.2, -np.inf]], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        masked = f(z)
    unmasked = f(z[:, [0, 2]])
    if f is logsumexp:
        assert_allclose(masked, unmasked, rtol=1e-6)
    else:
        assert_allclose(masked[:, [0, 2]], unmasked, rtol=1e-6)
        expected_masked = -np.inf if f is log_softmax else 0.0
        assert_array_equal(masked[:, [1, 3]], expected_masked)


@pytest.mark.parametrize("f", TRANSFORMS + [sparsemax_threshold])
def test_invalid_logits_raise(f):
    with pytest.raises(ValueError, match="NaN"):
        f([0.0, np.nan])
    with pytest.raises(ValueError, match=r"\+inf"):
        f([0.0, np.inf])
    with pytest.raises(ValueError, match="no finite entry"):
        f([[0.0, 1.0], [-np.inf, -np.inf]])
    with pytest.raises(ValueError, match="no classes"):
        f(np.zeros((3, 0)))
    with pytest.raises(ValueError, match="scalar"):
        f(1.0)
    with pytest.raises(ValueError, match="real"):
        f(np.array([1 + 1j, 0]))


@pytest.mark.parametrize("f", TRANSFORMS)
def test_dtypes(f):
    z32 = np.array([[1.0, 2.0, 3.0]], dtype=np.float32)
    assert f(z32).dtype == np.float32
    assert f(z32.astype(np.float64)).dtype == np.float64
    assert f(np.array([[1, 2, 3]])).dtype == np.float64
    assert_allclose(f(z32), f(z32.astype(np.float64)), rtol=1e-6)


@pytest.mark.parametrize("f", MAPPINGS)
def test_float32_temperature_outside_float32_range(f):
    z = np.array([1.0, 2.0, -np.inf], dtype=np.float32)
    assert_array_equal(f(z, temperature=1e-60), [0, 1, 0])
    assert_allclose(f(z, temperature=1e60), [0.5, 0.5, 0])


def test_sparsemax_float32_accuracy_for_many_classes():
    z = np.random.default_rng(6).normal(size=(4, 20_000))
    p64 = sparsemax(z)
    p32 = sparsemax(z.astype(np.float32))
    assert_allclose(p32, p64, atol=1e-6)


def test_empty_batch():
    for f in MAPPINGS:
        assert f(np.zeros((0, 3))).shape == (0, 3)


# --- properties (hypothesis) --------------------------------------------------

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
logit_arrays = arrays(
    np.float64,
    st.tuples(st.integers(1, 6), st.integers(1, 9)),
    elements=finite,
)


@settings(max_examples=200, deadline=None)
@given(z=logit_arrays, T=st.floats(1e-3, 1e3))
def test_mappings_are_distributions(z, T):
    for f in MAPPINGS:
        P = f(z, temperature=T)
        assert np.all(P >= 0)
        assert_allclose(P.sum(axis=-1), 1.0, rtol=1e-12)


@settings(max_examples=200, deadline=None)
@given(z=logit_arrays, shift=st.floats(-1e3, 1e3))
def test_shift_invariance(z, shift):
    for f in MAPPINGS + [log_softmax]:
        zs = z - z.max(axis=-1, keepdims=True)
        assert_allclose(f(zs + shift), f(zs), atol=1e-9)


@settings(max_examples=200, deadline=None)
@given(z=logit_arrays)
def test_sparsemax_support_is_above_threshold(z):
    p = sparsemax(z)
    tau, size = sparsemax_threshold(z)
    # Exact except for entries within rounding of the threshold.
    scale = np.abs(z).max(axis=-1, keepdims=True) + 1
    clear = np.abs(z - tau[:, None]) > 1e-12 * scale
    assert_array_equal((p > 0)[clear], (z > tau[:, None])[clear])
    assert_array_equal(size, (p > 0).sum(axis=-1))
    assert np.all(size >= 1)


@settings(max_examples=200, deadline=None)
@given(z=logit_arrays)
def test_sparsemax_agrees_with_bisection(z):
    p_ref, _ = sparsemax_bisection(z)
    assert_allclose(sparsemax(z), p_ref, atol=1e-9)


@settings(max_examples=100, deadline=None)
@given(z=logit_arrays)
def test_mappings_preserve_order_and_argmax(z):
    for f in MAPPINGS:
        P = f(z)
        order = np.argsort(z, axis=-1, kind="stable")
        assert np.all(np.diff(np.take_along_axis(P, order, axis=-1), axis=-1) >= 0)
        assert_array_equal(
            np.take_along_axis(P, z.argmax(axis=-1)[:, None], axis=-1)[:, 0],
            P.max(axis=-1),
        )


# --- the two threshold algorithms ----------------------------------------------


def _shift(z):
    return z - z.max(axis=1, keepdims=True)


@pytest.mark.parametrize("n_classes", [2, 7, 101, 1000, 5000])
@pytest.mark.parametrize("scale", [0.01, 0.1, 1.0, 10.0])
@pytest.mark.parametrize("order", ["random", "ascending", "descending"])
def test_pruning_and_sorting_thresholds_agree(n_classes, scale, order):
    from sklearn_softmax.functional import _threshold_by_pruning, _threshold_by_sorting

    Z = np.random.default_rng(n_classes).normal(scale=scale, size=(30, n_classes))
    if order != "random":  # the strided sample is then the least useful
        Z = np.sort(Z, axis=1)[:, :: (1 if order == "ascending" else -1)]
    Z[::3, ::4] = -np.inf
    S = _shift(Z)
    _, expected = sparsemax_bisection(np.where(np.isneginf(S), -1e9, S))
    for sample_size in (2, 32):
        assert_allclose(_threshold_by_pruning(S, sample_size), expected, atol=1e-12)
    assert_allclose(_threshold_by_sorting(S), expected, atol=1e-12)


@settings(max_examples=200, deadline=None)
@given(z=logit_arrays)
def test_pruning_threshold_property(z):
    from sklearn_softmax.functional import _threshold_by_pruning, _threshold_by_sorting

    S = _shift(z)
    assert_allclose(
        _threshold_by_pruning(S, sample_size=2), _threshold_by_sorting(S), atol=1e-9
    )


def test_numba_threshold_equals_numpy_paths():
    numba_path = pytest.importorskip("sklearn_softmax._numba").threshold_rows
    if numba_path is None:
        pytest.skip("numba not installed or disabled")
    from sklearn_softmax.functional import _threshold_by_pruning, _threshold_by_sorting

    rng = np.random.default_rng(9)
    for n_classes in (1, 2, 3, 10, 100, 1000):
        for scale in (0.01, 1.0, 100.0):
            Z = rng.normal(scale=scale, size=(200, n_classes))
            Z[::5, 1::3] = -np.inf
            Z[::7] = np.round(Z[::7])  # ties
            for dtype in (np.float64, np.float32):
                S = _shift(Z.astype(dtype))
                expected = _threshold_by_sorting(S)
                assert_allclose(numba_path(S), expected, rtol=1e-12, atol=1e-12)
                if n_classes > 2:
                    assert_allclose(_threshold_by_pruning(S), expected, atol=1e-12)


def test_sparsemax_runs_the_compiled_kernels(monkeypatch):
    from sklearn_softmax import _numba

    if _numba.project_rows is None:
        pytest.skip("numba not installed or disabled")
    calls = []
    for name in ("project_rows", "threshold_rows"):
        kernel = getattr(_numba, name)

        def spy(*args, kernel=kernel, name=name, **kwargs):
            calls.append(name)
            return kernel(*args, **kwargs)

        monkeypatch.setattr(_numba, name, spy)
    Z = np.random.default_rng(0).normal(size=(5, 4))
    sparsemax(Z)
    sparsemax_threshold(Z)
    assert calls == ["project_rows", "threshold_rows"]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("axis", [-1, 0])
def test_numba_sparsemax_equals_numpy_path(dtype, axis, monkeypatch):
    from sklearn_softmax import _numba

    if _numba.project_rows is None:
        pytest.skip("numba not installed or disabled")
    rng = np.random.default_rng(10)
    for n_classes in (1, 3, 50, 700):
        for scale in (0.05, 1.0, 30.0):
            Z = rng.normal(scale=scale, size=(60, n_classes)).astype(dtype)
            Z[::4, 1::3] = -np.inf
            Z[::5] = np.round(Z[::5])
            if axis == 0:
                Z = np.ascontiguousarray(Z.T)
            compiled = sparsemax(Z, axis=axis, temperature=0.7)
            with monkeypatch.context() as m:
                m.setattr(_numba, "project_rows", None)
                m.setattr(_numba, "threshold_rows", None)
                reference = sparsemax(Z, axis=axis, temperature=0.7)
            assert compiled.dtype == reference.dtype == dtype
            tol = 1e-6 if dtype == np.float32 else 1e-12
            assert_allclose(compiled, reference, atol=tol)
            # float32 sums of hundreds of entries carry their own rounding.
            sum_tol = 5e-5 if dtype == np.float32 else 1e-12
            assert_allclose(
                compiled.sum(axis=axis, dtype=np.float64), 1.0, rtol=sum_tol
            )
