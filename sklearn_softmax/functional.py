"""Probability mappings on logits: softmax, log-softmax, logsumexp, sparsemax, entmax.

NumPy, with the sparsemax threshold compiled by numba where it is importable
(no scikit-learn). Every function has the signature
``f(z, *, axis=-1, temperature=1.0)`` and works on arrays of any shape, along
``axis``. ``temperature`` divides the logits: ``f(z, temperature=T)`` is
``f(z / T)``, computed without forming ``z / T`` (so that ``z = 1e300`` with
``T = 1e-10`` does not overflow).

Conventions shared by all functions:

- float32 in gives float32 out, anything else gives float64 (integer,
  boolean, float16 and long double logits are converted to float64).
- ``axis`` is an integer, a tuple of integers (the slices are the
  sub-arrays over those axes, as a flattened class axis) or None (the whole
  array), as in ``scipy.special``.
- ``-inf`` marks a masked class: its probability is exactly 0 and no warning is
  emitted.
- A ``numpy.ma`` masked array: masked entries are masked classes (``-inf``);
  the result is a plain array.
- A ``nan``, a ``+inf``, a slice with no finite entry, a non-positive
  temperature, an ``axis`` out of range or a ``scipy.sparse`` matrix (whose
  implicit zeros would be logits 0, not masked classes) raise
  :class:`ValueError` saying which.

All functions shift each slice by its maximum (dividing by the temperature
first where the difference would overflow), so any finite logits are safe,
however large, with any positive finite temperature; ``logsumexp`` and
``log_softmax`` keep their relative precision near 0.
"""

import functools
import numbers
import sys

import numpy as np
import scipy.sparse as sp

from ._entmax import entmax_rows, entmax_theta_rows

__all__ = [
    "entmax",
    "entmax_threshold",
    "log_softmax",
    "logsumexp",
    "softmax",
    "sparsemax",
    "sparsemax_threshold",
]


def _check_temperature(temperature):
    if (
        isinstance(temperature, (bool, np.bool_))
        or not isinstance(temperature, numbers.Real)
        or not temperature > 0
        or not np.isfinite(temperature)
    ):
        raise ValueError(
            f"temperature must be a finite real number > 0, got {temperature!r}."
        )
    return float(temperature)


def _as_float_array(z):
    if sp.issparse(z):
        raise ValueError(
            "logits must be a dense array, got a scipy.sparse matrix: its implicit "
            "zeros would be logits 0, not masked classes. Use z.toarray(), with "
            "-inf where a class is masked."
        )
    if isinstance(z, np.ma.MaskedArray):  # a masked entry is a masked class
        data = _as_float_array(np.ma.getdata(z))
        return np.where(np.ma.getmaskarray(z), data.dtype.type(-np.inf), data)
    z = np.asarray(z)
    if z.dtype.kind not in "biuf":
        raise ValueError(f"logits must be real numbers, got dtype {z.dtype}.")
    if z.dtype not in (np.float32, np.float64):
        return z.astype(np.float64)
    return z


def _check_axis(axis, ndim):
    if (
        isinstance(axis, (bool, np.bool_))
        or not isinstance(axis, numbers.Integral)
        or not -ndim <= axis < ndim
    ):
        raise ValueError(
            f"axis must be an integer in [{-ndim}, {ndim - 1}] for logits with "
            f"{ndim} dimension(s), got {axis!r}."
        )
    return int(axis)


def _over_axes(function):
    """Let ``function(z, *, axis=int, ...)`` take ``axis=None`` or a tuple:
    the axes are moved to the end and flattened into one class axis (the
    result is shaped back; a reduction loses those axes)."""

    @functools.wraps(function)
    def wrapper(z, *args, axis=-1, **kwargs):
        if axis is not None and not isinstance(axis, tuple):
            return function(z, *args, axis=axis, **kwargs)
        z = _as_float_array(z)
        if z.ndim == 0:
            raise ValueError("logits must have at least one dimension, got a scalar.")
        axes = tuple(range(z.ndim)) if axis is None else axis
        axes = tuple(_check_axis(a, z.ndim) % z.ndim for a in axes)
        if len(set(axes)) != len(axes) or not axes:
            raise ValueError(f"axis must name distinct axes, got {axis!r}.")
        rest = [d for d in range(z.ndim) if d not in axes]
        moved = np.transpose(z, rest + list(axes))
        kept_shape = moved.shape[: len(rest)]
        flat = moved.reshape(*kept_shape, -1)
        out = function(flat, *args, axis=-1, **kwargs)
        if isinstance(out, tuple) or out.shape == kept_shape:  # a reduction
            return out
        out = out.reshape(moved.shape)
        return np.transpose(out, np.argsort(rest + list(axes)))

    return wrapper


def _scaled_difference(z, zmax, t):
    """``(z - zmax) / t``. Where ``z - zmax`` overflows but the result does
    not (``t > 1``), scale first: ``|z / t| <= |z|`` cannot overflow, and a
    difference that still does is below the dtype's range (probability 0)."""
    shifted = np.subtract(z, zmax)
    shifted /= t
    if t > 1 and (np.isneginf(shifted) & np.isfinite(z)).any():
        shifted = np.subtract(z / t, zmax / t)
    return shifted


def _shifted(z, axis, temperature):
    """Validate ``z`` and return ``(z - max) / T`` along ``axis`` and the max.

    The result is a new array (safe to modify in place), ``<= 0``, with exactly
    0 at the maximum of each slice and ``-inf`` at masked classes. Differences
    too large for the dtype round to ``-inf``, which is also their exact
    probability once rounded. Any finite logits and any positive finite
    temperature are safe: when ``T`` itself is outside the range of the
    logits' dtype (float32), the scaling is done in float64.
    """
    temperature = _check_temperature(temperature)
    z = _as_float_array(z)
    if z.ndim == 0:
        raise ValueError("logits must have at least one dimension, got a scalar.")
    axis = _check_axis(axis, z.ndim)
    if z.shape[axis] == 0:
        raise ValueError(f"logits have no classes along axis {axis} (size 0).")
    if np.isnan(z).any():
        raise ValueError("logits contain NaN.")
    zmax = np.max(z, axis=axis, keepdims=True)
    if np.isposinf(zmax).any():
        raise ValueError("logits contain +inf; use -inf to mask a class.")
    if np.isneginf(zmax).any():
        raise ValueError(
            "logits have a slice with no finite entry (all classes masked with -inf)."
        )
    finfo = np.finfo(z.dtype)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        if temperature == 1.0:
            shifted = np.subtract(z, zmax)
        elif finfo.smallest_normal <= temperature <= finfo.max:
            shifted = _scaled_difference(z, zmax, z.dtype.type(temperature))
        else:
            # T outside the normal range of float32 (a subnormal T keeps only
            # a few bits: 2e-45 rounds to 2.8e-45): scale in float64.
            shifted = _scaled_difference(
                z.astype(np.float64), zmax.astype(np.float64), temperature
            ).astype(z.dtype)
    return shifted, zmax


def _log_sum_exp_shifted(S, axis):
    """``log(sum(exp(S)))`` of shifted logits (maximum exactly 0 per slice),
    as ``log1p`` of the sum of the terms other than one maximum, so that it
    keeps its relative precision when it is near 0 (SciPy's gh-18295)."""
    E = np.exp(S)
    np.put_along_axis(E, np.argmax(S, axis=axis, keepdims=True), 0.0, axis=axis)
    return np.log1p(np.sum(E, axis=axis, keepdims=True))


@_over_axes
def softmax(z, *, axis=-1, temperature=1.0):
    r"""Softmax of ``z / temperature`` along ``axis``.

    .. math:: \operatorname{softmax}(z)_j = \frac{e^{z_j / T}}{\sum_k e^{z_k / T}}

    Parameters
    ----------
    z : array-like of shape (..., n_classes, ...)
        Logits. ``-inf`` entries are masked classes (probability 0).
    axis : int, default=-1
        Axis along which the probabilities sum to one.
    temperature : float, default=1.0
        Positive temperature ``T``.

    Returns
    -------
    P : ndarray of the shape of ``z``
        Probabilities, float32 for float32 input, float64 otherwise.

    Examples
    --------
    >>> from sklearn_softmax.functional import softmax
    >>> softmax([0.0, 1.0, -float("inf")]).round(4)
    array([0.2689, 0.7311, 0.    ])
    """
    P, _ = _shifted(z, axis, temperature)
    np.exp(P, out=P)
    P /= np.sum(P, axis=axis, keepdims=True)
    return P


@_over_axes
def log_softmax(z, *, axis=-1, temperature=1.0):
    r"""Logarithm of :func:`softmax`, computed without forming the softmax.

    .. math:: \log \operatorname{softmax}(z)_j
              = \frac{z_j}{T} - \log \sum_k e^{z_k / T}

    Parameters
    ----------
    z : array-like of shape (..., n_classes, ...)
        Logits. ``-inf`` entries are masked classes (log-probability ``-inf``).
    axis : int, default=-1
        Axis of the classes.
    temperature : float, default=1.0
        Positive temperature ``T``.

    Returns
    -------
    log_P : ndarray of the shape of ``z``
        Log-probabilities, ``<= 0``.

    Examples
    --------
    >>> from sklearn_softmax.functional import log_softmax
    >>> log_softmax([1e300, 0.0])
    array([ 0.e+000, -1.e+300])
    """
    S, _ = _shifted(z, axis, temperature)
    S -= _log_sum_exp_shifted(S, axis)
    return S


@_over_axes
def logsumexp(z, *, axis=-1, temperature=1.0):
    r"""Smooth maximum ``T * log(sum(exp(z / T)))`` along ``axis``.

    .. math:: \operatorname{lse}_T(z) = T \log \sum_k e^{z_k / T}

    It tends to ``max(z)`` as ``T -> 0`` and its gradient with respect to
    ``z`` is ``softmax(z, temperature=T)``.

    Parameters
    ----------
    z : array-like of shape (..., n_classes, ...)
        Logits. ``-inf`` entries are masked classes (they add nothing).
    axis : int, default=-1
        Axis that is reduced.
    temperature : float, default=1.0
        Positive temperature ``T``.

    Returns
    -------
    lse : ndarray of the shape of ``z`` without ``axis``
        Float32 for float32 input, float64 otherwise.

    Examples
    --------
    >>> from sklearn_softmax.functional import logsumexp
    >>> float(logsumexp([0.0, 0.0]))  # log(2)
    0.6931471805599453
    >>> float(logsumexp([1.0, 2.0], temperature=1e-3))  # max as T -> 0
    2.0
    """
    temperature = _check_temperature(temperature)
    S, zmax = _shifted(z, axis, temperature)
    log_sum = _log_sum_exp_shifted(S, axis)
    # zmax + T * log_sum, in float64 so that T beyond float32's range is exact.
    with np.errstate(over="ignore"):
        out = zmax.astype(np.float64) + temperature * log_sum.astype(np.float64)
    return np.squeeze(out.astype(S.dtype, copy=False), axis=axis)


def _threshold_by_sorting(S):
    """Sparsemax threshold of each row by a full sort (Martins & Astudillo, eq. 5).

    ``S`` holds shifted logits (row maximum 0). Entries below -1 are never in
    the support (the threshold is at least ``max - 1``), so they are clipped
    to -2 first: this removes ``-inf`` and keeps the cumulative sums small.
    """
    S_sorted = np.sort(np.maximum(S, -2.0), axis=1)[:, ::-1]
    # Cumulative sums in float64 even for float32 input, so that the threshold
    # is accurate to the last digit for many classes.
    cumsum = np.cumsum(S_sorted, axis=1, dtype=np.float64)
    cumsum -= 1.0
    k = np.arange(1, S.shape[1] + 1, dtype=np.float64)
    # j is in the support iff 1 + j * z_(j) > sum_{i <= j} z_(i). It holds for a
    # prefix of the sorted entries (ties are in or out together).
    support_size = np.count_nonzero(S_sorted * k > cumsum, axis=1)
    return cumsum[np.arange(S.shape[0]), support_size - 1] / support_size


def _threshold_by_pruning(S, sample_size=32):
    """Sparsemax threshold of each row without sorting the rows (Michelot, 1986).

    For *any* set ``A`` of a row's entries, ``(sum_A z - 1) / |A|`` is a lower
    bound of the threshold ``tau`` (``sum_A (z - tau) <= sum max(z - tau, 0) =
    1``), and so is the sparsemax threshold of any sample of the entries. So:

    1. lower bound: the larger of ``max - 1`` and the threshold of a strided
       sample of ``sample_size`` entries (sorted: it is small);
    2. candidates: the entries above it, a superset of the support, gathered
       row by row into a flat array;
    3. Michelot's iteration: the threshold of the candidates is again a lower
       bound, the entries above it a smaller superset; when nothing is pruned,
       it is the exact threshold.

    Each round touches only the survivors. Sums are in float64.
    """
    n_rows, n_classes = S.shape
    lower = np.full(n_rows, -1.0)
    if n_classes > 2 * sample_size:
        sample = S[:, :: n_classes // sample_size]
        np.maximum(lower, _threshold_by_sorting(sample), out=lower)
    candidates = S > lower[:, None]
    counts = np.count_nonzero(candidates, axis=1)
    values = S[candidates].astype(np.float64, copy=False)
    while True:
        offsets = np.cumsum(counts) - counts
        tau = (np.add.reduceat(values, offsets) - 1.0) / counts
        keep = values > np.repeat(tau, counts)
        pruned_counts = np.add.reduceat(keep, offsets, dtype=np.intp)
        if np.array_equal(pruned_counts, counts):
            return tau
        values, counts = values[keep], pruned_counts


# Up to this many classes a full sort is faster (benchmarks/bench_transforms.py).
_SORT_MAX_CLASSES = 100


def _compiled():
    """The compiled kernels' module (``_numba``), imported on first use: numba
    takes a third of a second to import, and softmax never needs it."""
    from . import _numba

    return _numba


def _compiled_if_loaded():
    """The compiled kernels' module if a sparsemax call has imported it, else
    None: what a softmax fit may use without importing numba."""
    return sys.modules.get(f"{__package__}._numba")


def _sparsemax_threshold_rows(S, parallel=True):
    """Sparsemax threshold (float64) of each row of shifted logits ``S``.

    Compiled (``_numba``) when numba is installed, in threads for large inputs
    unless ``parallel=False``; otherwise a full sort for up to
    ``_SORT_MAX_CLASSES`` classes and pruning beyond.
    """
    if S.shape[0] == 0:
        return np.zeros(0)
    _numba = _compiled()
    if _numba.threshold_rows is not None:
        return _numba.threshold_rows(S, parallel=parallel)
    if S.shape[1] <= _SORT_MAX_CLASSES:
        return _threshold_by_sorting(S)
    return _threshold_by_pruning(S)


def _rows_threshold(S, axis):
    """Threshold of shifted logits ``S`` along ``axis``, with ``S``'s dimensions."""
    S_rows = np.moveaxis(S, axis, -1)
    tau = _sparsemax_threshold_rows(S_rows.reshape(-1, S_rows.shape[-1]))
    return np.expand_dims(
        tau.reshape(S_rows.shape[:-1]).astype(S.dtype, copy=False), axis
    )


@_over_axes
def sparsemax(z, *, axis=-1, temperature=1.0):
    r"""Sparsemax of ``z / temperature``: Euclidean projection onto the simplex.

    .. math:: \operatorname{sparsemax}(z) = \arg\min_{p \in \Delta} \|p - z / T\|^2
              = \max(z / T - \tau, 0)

    where the threshold ``tau`` makes the result sum to one (Martins &
    Astudillo, 2016). Unlike softmax, it gives exact zeros; lowering the
    temperature shrinks the support, raising it spreads the mass.

    Parameters
    ----------
    z : array-like of shape (..., n_classes, ...)
        Logits. ``-inf`` entries are masked classes (probability 0).
    axis : int, default=-1
        Axis along which the probabilities sum to one.
    temperature : float, default=1.0
        Positive temperature ``T``.

    Returns
    -------
    P : ndarray of the shape of ``z``
        Probabilities, float32 for float32 input, float64 otherwise.

    See Also
    --------
    sparsemax_threshold : The threshold ``tau`` and the support size.

    Examples
    --------
    >>> from sklearn_softmax.functional import sparsemax
    >>> sparsemax([0.0, 0.5, 3.0])
    array([0., 0., 1.])
    >>> sparsemax([0.0, 0.5, 0.7])
    array([0. , 0.4, 0.6])
    """
    S, _ = _shifted(z, axis, temperature)
    S_rows = np.moveaxis(S, axis, -1)
    _numba = _compiled()
    if _numba.project_rows is not None and S_rows.flags.c_contiguous:
        # Rows in place, threshold and output in one compiled pass.
        _numba.project_rows(S_rows.reshape(-1, S_rows.shape[-1]))
        return S
    S -= _rows_threshold(S, axis)
    np.maximum(S, 0.0, out=S)
    return S


@_over_axes
def sparsemax_threshold(z, *, axis=-1, temperature=1.0):
    r"""Threshold ``tau`` and support size of :func:`sparsemax`.

    ``sparsemax(z, temperature=T) == max(z / T - tau, 0)`` and the support is
    ``{j : z_j / T > tau}``, of size ``support_size``.

    Parameters
    ----------
    z : array-like of shape (..., n_classes, ...)
        Logits. ``-inf`` entries are masked classes.
    axis : int, default=-1
        Axis of the classes.
    temperature : float, default=1.0
        Positive temperature ``T``.

    Returns
    -------
    tau : ndarray of the shape of ``z`` without ``axis``
        Threshold on the scale of ``z / T``. It overflows to ``inf`` only where
        ``max(z) / T`` itself does.
    support_size : ndarray of int of the shape of ``z`` without ``axis``
        Number of classes with a positive probability, at least 1.

    Examples
    --------
    >>> from sklearn_softmax.functional import sparsemax_threshold
    >>> tau, size = sparsemax_threshold([0.0, 0.5, 0.7])
    >>> round(float(tau), 12), int(size)
    (0.1, 2)
    """
    temperature = _check_temperature(temperature)
    S, zmax = _shifted(z, axis, temperature)
    tau = _rows_threshold(S, axis)
    support_size = np.count_nonzero(S > tau, axis=axis)
    with np.errstate(over="ignore"):
        tau = (tau.astype(np.float64) + zmax.astype(np.float64) / temperature).astype(
            tau.dtype, copy=False
        )
    return np.squeeze(tau, axis=axis), support_size


def _check_alpha(alpha):
    if (
        isinstance(alpha, (bool, np.bool_))
        or not isinstance(alpha, numbers.Real)
        or not alpha >= 1
        or not np.isfinite(alpha)
    ):
        raise ValueError(f"alpha must be a finite real number >= 1, got {alpha!r}.")
    return float(alpha)


def _entmax_rows_theta(S, alpha, *, overwrite=False):
    """alpha-entmax of shifted float64 rows ``S`` and their ``theta``:
    compiled when numba is available (one pass per Newton step, over the
    entries that can be in the support), else NumPy's (:mod:`._entmax`).
    ``overwrite``: ``S`` (C-ordered float64) may hold the result."""
    _numba = _compiled()
    if _numba.entmax_rows is not None:
        P = S if overwrite and S.flags.c_contiguous else np.array(S, order="C")
        return P, _numba.entmax_rows(P, alpha)
    theta = entmax_theta_rows(S, alpha)
    return entmax_rows(S, alpha, theta), theta


def _entmax_rows_of(S, axis, alpha):
    """Rows (along ``axis``) of shifted logits, as a C-ordered float64 2-D
    array, and a function that puts a row-wise result back."""
    S_rows = np.moveaxis(S, axis, -1)
    shape = S_rows.shape
    flat = np.ascontiguousarray(S_rows.reshape(-1, shape[-1]), dtype=np.float64)

    def back(values, dtype):
        out = values.reshape(shape[:-1] + values.shape[1:]).astype(dtype, copy=False)
        return np.moveaxis(out, -1, axis) if values.ndim == 2 else out

    return flat, back


@_over_axes
def entmax(z, alpha=1.5, *, axis=-1, temperature=1.0):
    r"""Alpha-entmax of ``z / temperature``: between softmax and sparsemax.

    .. math:: \operatorname{entmax}_\alpha(z) = \arg\max_{p \in \Delta}
              \langle p, z / T \rangle + H_\alpha(p), \qquad
              H_\alpha(p) = \frac{1 - \sum_j p_j^\alpha}{\alpha (\alpha - 1)}

    (Tsallis entropy; Shannon's at ``alpha = 1``), whose solution is
    ``p_j = [(alpha - 1) z_j / T - tau]_+^(1 / (alpha - 1))`` with ``tau``
    such that ``p`` sums to one (Peters, Niculae & Martins, 2019). ``alpha = 1``
    is :func:`softmax`, ``alpha = 2`` is :func:`sparsemax` (exactly: the same
    code); every ``alpha > 1`` gives exact zeros, more of them as ``alpha``
    grows. 1.5 is solved exactly by sorting, any other ``alpha`` by a
    safeguarded Newton iteration to full float64 precision; the result is
    continuous in ``alpha``, including ``alpha -> 1``.

    Parameters
    ----------
    z : array-like of shape (..., n_classes, ...)
        Logits. ``-inf`` entries are masked classes (probability 0).
    alpha : float, default=1.5
        ``alpha >= 1``.
    axis : int, tuple of int or None, default=-1
        Axis along which the probabilities sum to one.
    temperature : float, default=1.0
        Positive temperature ``T``.

    Returns
    -------
    P : ndarray of the shape of ``z``
        Probabilities, float32 for float32 input, float64 otherwise (computed
        in float64).

    See Also
    --------
    entmax_threshold : The threshold ``tau`` and the support size.

    References
    ----------
    B. Peters, V. Niculae and A. F. T. Martins. Sparse sequence-to-sequence
    models. ACL 2019.

    Examples
    --------
    >>> from sklearn_softmax.functional import entmax
    >>> entmax([0.0, 1.0, 1.5]).round(4)
    array([0.0048, 0.324 , 0.6712])
    >>> entmax([0.0, 1.0, 1.5], alpha=1.0001).round(3)  # close to softmax
    array([0.122, 0.331, 0.547])
    >>> entmax([0.0, 1.0, 1.5], alpha=2.0)  # sparsemax
    array([0.  , 0.25, 0.75])
    """
    alpha = _check_alpha(alpha)
    if alpha == 1.0:
        return softmax(z, axis=axis, temperature=temperature)
    if alpha == 2.0:
        return sparsemax(z, axis=axis, temperature=temperature)
    S, _ = _shifted(z, axis, temperature)
    flat, back = _entmax_rows_of(S, axis, alpha)
    if flat.shape[0] == 0:
        return S
    # S is a new array (_shifted), and flat a view or a copy of it: ours.
    return back(_entmax_rows_theta(flat, alpha, overwrite=True)[0], S.dtype)


@_over_axes
def entmax_threshold(z, alpha=1.5, *, axis=-1, temperature=1.0):
    r"""Threshold ``tau`` and support size of :func:`entmax`.

    ``entmax(z, alpha, temperature=T) == [(alpha - 1) z / T - tau]_+ **
    (1 / (alpha - 1))``; at ``alpha = 2`` this is :func:`sparsemax_threshold`'s
    ``tau``. At ``alpha = 1`` (softmax) the formula degenerates: ``tau`` is
    -1, its limit, and the support is every unmasked class.

    Parameters
    ----------
    z : array-like of shape (..., n_classes, ...)
        Logits. ``-inf`` entries are masked classes.
    alpha : float, default=1.5
        ``alpha >= 1``.
    axis : int, tuple of int or None, default=-1
        Axis of the classes.
    temperature : float, default=1.0
        Positive temperature ``T``.

    Returns
    -------
    tau : ndarray of the shape of ``z`` without ``axis``
        Threshold on the scale of ``(alpha - 1) z / T``, float64 (float32 for
        float32 input).
    support_size : ndarray of int of the shape of ``z`` without ``axis``
        Number of classes with a positive probability, at least 1.

    Examples
    --------
    >>> from sklearn_softmax.functional import entmax_threshold
    >>> tau, size = entmax_threshold([0.0, 1.0, 1.5])
    >>> round(float(tau), 6), int(size)
    (-0.069246, 3)
    """
    alpha = _check_alpha(alpha)
    temperature = _check_temperature(temperature)
    if alpha == 2.0:
        return sparsemax_threshold(z, axis=axis, temperature=temperature)
    S, zmax = _shifted(z, axis, temperature)
    flat, back = _entmax_rows_of(S, axis, alpha)
    zmax_rows, _ = _entmax_rows_of(zmax, axis, alpha)
    if alpha == 1.0:
        size = np.count_nonzero(np.isfinite(flat), axis=1)
        return back(np.full(flat.shape[0], -1.0), S.dtype), back(size, np.intp)
    P, theta = _entmax_rows_theta(flat, alpha)
    with np.errstate(over="ignore"):
        tau = (alpha - 1.0) * (zmax_rows[:, 0] / temperature + theta) - 1.0
    return back(tau, S.dtype), back(np.count_nonzero(P, axis=1), np.intp)
