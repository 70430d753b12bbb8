"""Losses in logit space, on target distributions: the alpha-entmax family.

A loss is defined by its regularized argmax, the probability mapping
(softmax, alpha-entmax, sparsemax), and its gradient with respect to the
logits is always ``P - Q``: the predicted minus the target distribution.
They are the Fenchel-Young losses of the Tsallis entropies (Blondel, Martins
& Niculae 2020)

.. math:: L_\\alpha(z; q) = \\langle p - q, z \\rangle + H_\\alpha(p) - H_\\alpha(q),
          \\qquad p = \\operatorname{entmax}_\\alpha(z),

and the Hessian of each is the Jacobian of its mapping,
``diag(g) - g g^T / sum(g)`` with ``g = p^(2 - alpha)`` on the support
(:meth:`EntmaxLoss.hessian_product`). :class:`SoftmaxLoss` is the member
``alpha = 1`` (written as the cross-entropy, see there), :class:`SparsemaxLoss`
the member ``alpha = 2``; both run their own exact code, and the compiled
objective (``loss.kernel``) knows them by that name. Targets ``Q`` are
distributions, one row per sample (label proportions ``y / |y|`` for
multilabel), or, for one-hot targets, the 1-D array of class indices, which
saves the ``n x K`` one-hot matrix.

A loss is an immutable instance with its parameters (``alpha``): estimators
build it from their own parameters. :meth:`~EntmaxLoss.loss_gradient` returns
the per-sample values and the gradient together, computed in one pass over the
logits, in place when allowed; :meth:`~EntmaxLoss.loss` and
:meth:`~EntmaxLoss.gradient` return one of them. Logits must be finite here
(they come from a linear model; a NaN or an infinity, as from an overflowing
``X @ coef``, is a ``ValueError`` with or without the compiled kernels); the
probability mappings in
:mod:`sklearn_softmax.functional` handle the general case.
"""

import numpy as np

from ._entmax import hessian_weights
from .functional import (
    _check_alpha,
    _entmax_rows_theta,
    _sparsemax_threshold_rows,
    entmax,
    log_softmax,
)

__all__ = ["EntmaxLoss", "SoftmaxLoss", "SparsemaxLoss", "losses"]

_OVERFLOW_MESSAGE = (
    "The logits contain NaN or infinity: the linear model overflowed "
    "(X @ coef_ beyond the range of the dtype). Scale the data, e.g. "
    "with sklearn.preprocessing.StandardScaler."
)


# Reductions along a short last axis are slow in NumPy (a few classes per row):
# row sums go through BLAS (gemv), row maxima column by column when K is small.
_COLUMNWISE_MAX_CLASSES = 8


def _row_max(S):
    """Maximum of each row of a 2-D array."""
    if S.shape[1] > _COLUMNWISE_MAX_CLASSES:
        return S.max(axis=1)
    row_max = S[:, 0].copy()
    for j in range(1, S.shape[1]):
        np.maximum(row_max, S[:, j], out=row_max)
    return row_max


def _row_sum(S):
    """Sum of each row of a 2-D array."""
    return S @ np.ones(S.shape[1], dtype=S.dtype)


def _rowdot(A, B):
    """Row-wise dot products of two ``(n, K)`` arrays."""
    return np.einsum("ij,ij->i", A, B)


def _check_targets(Q, shape):
    """Class indices must index the classes: no wrapping of -1 to the last."""
    if Q.ndim == 1:
        if Q.dtype.kind not in "iu":
            raise ValueError(f"Class indices must be integers, got dtype {Q.dtype}.")
        if len(Q) and (Q.min() < 0 or Q.max() >= shape[1]):
            raise ValueError(
                f"Class indices must be in [0, {shape[1] - 1}]; got values from "
                f"{Q.min()} to {Q.max()}."
            )
    elif Q.shape != shape:
        raise ValueError(f"Q has shape {Q.shape}, the logits {shape}.")


def _target_dot(Z, Q):
    """Row-wise ``q . z`` for distributions ``Q`` or class indices ``Q``."""
    if Q.ndim == 1:
        return Z[np.arange(len(Q)), Q]
    return _rowdot(Z, Q)


def _subtract_target(P, Q):
    """``P -= Q`` in place, for distributions or class indices."""
    if Q.ndim == 1:
        P[np.arange(len(Q)), Q] -= 1
    else:
        P -= Q


def _target_sq_norm(Q):
    """Row-wise ``||q||^2``."""
    if Q.ndim == 1:
        return 1.0
    return _rowdot(Q, Q)


def _softmax_start_logits(q_mean):
    """``log(q_mean)``, centered: where every prediction is ``q_mean``."""
    # The prior log-odds, as a GLM's intercept-only fit. Against a start at
    # zero, L-BFGS iterations to come within 1e-5 of the optimal objective:
    # 40 -> 15 on MULAN yeast and 41 -> 38 on scene at C=0.01, 72 -> 54 and
    # 265 -> 208 on the sparse multilabel stand-in at C=0.01 and 1, 59 -> 47 on
    # bench_fit.py's sparse multiclass problem; within two either way on
    # balanced targets. Zero-weight classes: log(1e-12).
    logits = np.log(np.maximum(np.asarray(q_mean, dtype=np.float64), 1e-12))
    return logits - logits.mean()


def _softmax_loss_gradient(P, Q):
    """Cross-entropy and ``P - Q`` from logits shifted by their maximum, in place."""
    # q . z on the shifted logits (q sums to 1, so the shift cancels).
    qz = _target_dot(P, Q)
    at_max = P == 0
    np.exp(P, out=P)
    # log(sum e^z) = log(m) + log1p(r / m): m the number of maxima (terms
    # exactly 1), r the sum of the others. A plain log(1 + r) loses the digits
    # of a loss near 0: 9.4147e-14 for 9.4207e-14 (z = [0, -30, -35], class 0),
    # and 0 for 4.2e-18.
    n_max = _row_sum(at_max.astype(P.dtype))
    rest = _row_sum(np.where(at_max, 0, P))
    P *= (1 / (n_max + rest))[:, None]
    loss = np.log(n_max) + np.log1p(rest / n_max)
    loss -= qz
    _subtract_target(P, Q)
    return loss.astype(P.dtype, copy=False), P


def _sparsemax_loss_gradient(P, Q):
    """Sparsemax loss and ``P - Q`` from logits shifted by their maximum, in place."""
    # One thread: a fit's products already use every core, and numba's idle
    # threads would spin against the BLAS ones.
    tau = _sparsemax_threshold_rows(P, parallel=False).astype(P.dtype, copy=False)
    qz = _target_dot(P, Q)
    P -= tau[:, None]
    np.maximum(P, 0.0, out=P)
    loss = 0.5 * _rowdot(P, P)
    loss += tau
    loss -= qz
    loss += 0.5 * _target_sq_norm(Q)
    _subtract_target(P, Q)
    return loss, P


def _tsallis_entropy(P, alpha):
    """``H_alpha`` of each row of distributions ``P`` (float64, ``alpha > 1``),
    as ``-sum_j p_j expm1((alpha - 1) log p_j) / (alpha (alpha - 1))``: no
    cancellation as ``alpha -> 1``."""
    a = alpha - 1.0
    terms = np.zeros_like(P, dtype=np.float64)
    positive = P > 0
    terms[positive] = P[positive] * np.expm1(a * np.log(P[positive]))
    return -terms.sum(axis=1) / (alpha * a)


class EntmaxLoss:
    r"""The alpha-entmax loss: the Fenchel-Young loss of the Tsallis entropy.

    .. math:: L_\alpha(z; q) = \langle p - q, z \rangle + H_\alpha(p)
              - H_\alpha(q), \qquad
              H_\alpha(p) = \frac{1 - \sum_j p_j^\alpha}{\alpha(\alpha - 1)},
              \qquad \nabla_z L = p - q

    with ``p = entmax_alpha(z)`` (:func:`sklearn_softmax.functional.entmax`).
    It is non-negative, zero exactly when ``p == q``, convex in ``z``, and
    its Hessian is ``diag(g) - g g^T / sum(g)``, ``g = p^(2 - alpha)`` on
    the support. ``alpha -> 1`` is the Kullback-Leibler divergence
    ``KL(q || softmax(z))``. At exactly 1 and 2 the loss runs the code of
    :class:`SoftmaxLoss` (the cross-entropy: for label proportions the
    limit plus the constant entropy of ``q``, same gradient and minimizer)
    and :class:`SparsemaxLoss` (the same loss), compiled objective included.

    Parameters
    ----------
    alpha : float, default=1.5
        ``alpha >= 1``. 1.5 is the usual middle: sparse probabilities, as
        with sparsemax, from a smoother mapping.

    Attributes
    ----------
    sparse : bool
        Whether the mapping gives exact zeros (``alpha > 1``).
    kernel : str or None
        The name under which the compiled objective knows this loss
        (``"softmax"``, ``"sparsemax"``), or None: the NumPy path.

    References
    ----------
    B. Peters, V. Niculae and A. F. T. Martins. Sparse sequence-to-sequence
    models. ACL 2019.

    M. Blondel, A. F. T. Martins and V. Niculae. Learning with Fenchel-Young
    losses. JMLR 2020.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_softmax.losses import EntmaxLoss
    >>> loss = EntmaxLoss(alpha=1.5)
    >>> value, grad = loss.loss_gradient(np.array([[0.0, 1.0, 1.5]]), np.array([2]))
    >>> value.round(4), grad.round(4)
    (array([0.1846]), array([[ 0.0048,  0.324 , -0.3288]]))
    >>> loss.loss(np.array([[0.0, 1.0]]), np.array([0])).round(4)
    array([1.0617])
    """

    def __init__(self, alpha=1.5):
        self.alpha = _check_alpha(alpha)

    @property
    def sparse(self):
        return self.alpha > 1.0

    @property
    def kernel(self):
        return {1.0: "softmax", 2.0: "sparsemax"}.get(self.alpha, "entmax")

    def mapping(self, Z, *, axis=-1, temperature=1.0):
        """``entmax_alpha(Z / temperature)`` along ``axis``."""
        return entmax(Z, self.alpha, axis=axis, temperature=temperature)

    def predict_proba(self, Z, temperature=1.0):
        """Return the predicted distributions of logits ``Z`` at ``temperature``.

        Parameters
        ----------
        Z : array-like of shape (n_samples, n_classes)
            Logits (``-inf`` masks a class).
        temperature : float, default=1.0
            Positive temperature dividing the logits.

        Returns
        -------
        P : ndarray of shape (n_samples, n_classes)
            Rows sum to 1.
        """
        return self.mapping(Z, axis=1, temperature=temperature)

    def predict_log_proba(self, Z, temperature=1.0):
        """Return the logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        Z : array-like of shape (n_samples, n_classes)
            Logits.
        temperature : float, default=1.0
            Positive temperature dividing the logits.

        Returns
        -------
        log_P : ndarray of shape (n_samples, n_classes)
            ``-inf`` at exact zeros, without a warning; for softmax
            (``alpha = 1``) the exact ``log_softmax``, finite where softmax
            rounds to 0.
        """
        if self.alpha == 1.0:
            return log_softmax(Z, axis=1, temperature=temperature)
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(Z, temperature=temperature))

    def start_logits(self, q_mean):
        """Return the intercept logits a fit starts from, with zero coefficients.

        Zeros, except for softmax (``alpha = 1``): ``log(q_mean)``, centered,
        the optimal intercept at zero coefficients.

        Parameters
        ----------
        q_mean : ndarray of shape (n_classes,)
            The (weighted) mean target distribution.

        Returns
        -------
        logits : ndarray of shape (n_classes,)
        """
        if self.alpha == 1.0:
            return _softmax_start_logits(q_mean)
        # Sparsemax and entmax: zeros. For sparsemax the optimum at zero
        # coefficients (b = q_mean, as sparsemax(q_mean) = q_mean) measured no
        # better a start: L-BFGS iterations to come within 1e-5 of the optimum
        # 57 -> 56 on MULAN scene, 19 -> 20 on yeast, 27 -> 27 on the sparse
        # stand-in at C=0.01.
        return np.zeros(len(q_mean))

    def loss_gradient(self, Z, Q, *, overwrite_z=False):
        """Return the per-sample losses and their gradient ``P - Q`` in ``Z``.

        Parameters
        ----------
        Z : ndarray of shape (n_samples, n_classes)
            Finite logits.
        Q : ndarray of shape (n_samples, n_classes) or (n_samples,)
            Target distributions (rows sum to 1), or class indices.
        overwrite_z : bool, default=False
            Reuse ``Z``'s memory for the gradient.

        Returns
        -------
        loss : ndarray of shape (n_samples,)
            ``L(z_i; q_i)`` for each row.
        gradient : ndarray of shape (n_samples, n_classes)
            ``P - Q``, in ``Z``'s memory when ``overwrite_z``.
        """
        Z, Q = self._check(Z, Q)
        S = Z if overwrite_z else Z.copy()
        # Every loss of the family is shift invariant: z - max(z), in place.
        row_max = _row_max(S)
        if not np.isfinite(row_max).all():  # NaN propagates to the maximum
            raise ValueError(_OVERFLOW_MESSAGE)
        S -= row_max[:, None]
        return self._shifted_loss_gradient(S, Q)

    def loss(self, Z, Q):
        """Return the per-sample losses ``L(z_i; q_i)``.

        Parameters
        ----------
        Z : ndarray of shape (n_samples, n_classes)
            Finite logits.
        Q : ndarray of shape (n_samples, n_classes) or (n_samples,)
            Target distributions, or class indices.

        Returns
        -------
        loss : ndarray of shape (n_samples,)
        """
        return self.loss_gradient(Z, Q)[0]

    def gradient(self, Z, Q):
        """Return the gradient ``P - Q`` of the losses in ``Z``.

        Parameters
        ----------
        Z : ndarray of shape (n_samples, n_classes)
            Finite logits.
        Q : ndarray of shape (n_samples, n_classes) or (n_samples,)
            Target distributions, or class indices.

        Returns
        -------
        gradient : ndarray of shape (n_samples, n_classes)
        """
        return self.loss_gradient(Z, Q)[1]

    def hessian_weights(self, Z):
        """Return ``g = p^(2 - alpha)`` on the support of ``p = mapping(Z)``.

        The Hessian of the loss in ``z`` (the Jacobian of the mapping) is
        ``diag(g) - g g^T / sum(g)``: ``diag(p) - p p^T`` for softmax,
        ``diag(s) - s s^T / |S|`` for sparsemax (``s`` the support's
        indicator).

        Parameters
        ----------
        Z : ndarray of shape (n_samples, n_classes)
            Finite logits.

        Returns
        -------
        g : ndarray of shape (n_samples, n_classes)
        """
        Z = np.asarray(Z)
        return hessian_weights(self.predict_proba(Z), self.alpha).astype(
            Z.dtype, copy=False
        )

    def hessian_product(self, Z, V, *, weights=None):
        """Return the Hessian-vector products ``H(z_i) v_i``, row by row.

        Parameters
        ----------
        Z : ndarray of shape (n_samples, n_classes)
            Finite logits.
        V : ndarray of shape (n_samples, n_classes)
            One direction per row.
        weights : ndarray of shape (n_samples, n_classes), default=None
            :meth:`hessian_weights` of ``Z``, when already computed.

        Returns
        -------
        HV : ndarray of shape (n_samples, n_classes)
            ``g * v - g (g . v) / sum(g)`` for each row.
        """
        g = self.hessian_weights(Z) if weights is None else weights
        return _jacobian_product(g, V)

    def _check(self, Z, Q):
        Z = np.asarray(Z)
        if Z.dtype not in (np.float32, np.float64):
            Z = Z.astype(np.float64)
        Q = np.asarray(Q)
        if Q.ndim == 2 and Q.dtype != Z.dtype:
            Q = Q.astype(Z.dtype)
        _check_targets(Q, Z.shape)
        return Z, Q

    def _shifted_loss_gradient(self, S, Q):
        """Loss and ``P - Q`` from logits shifted by their maximum, in place."""
        if self.alpha == 1.0:
            return _softmax_loss_gradient(S, Q)
        if self.alpha == 2.0:
            return _sparsemax_loss_gradient(S, Q)
        S64 = S.astype(np.float64, copy=False)
        P, theta = _entmax_rows_theta(S64, self.alpha)
        # H_alpha(p) = (theta - p . s) / alpha exactly in the q-exponential
        # form (p^alpha = p (1 + (alpha - 1)(s - theta))), Shannon's at 1.
        loss = (1.0 - 1.0 / self.alpha) * _rowdot(P, S64) + theta / self.alpha
        loss -= _target_dot(S64, Q)
        if Q.ndim == 2:
            loss -= _tsallis_entropy(Q.astype(np.float64, copy=False), self.alpha)
        S[...] = P
        _subtract_target(S, Q)
        return loss.astype(S.dtype, copy=False), S

    def __repr__(self):
        return f"{type(self).__name__}(alpha={self.alpha:g})"

    def __eq__(self, other):
        return isinstance(other, EntmaxLoss) and other.alpha == self.alpha

    def __hash__(self):
        return hash((EntmaxLoss, self.alpha))


def _jacobian_product(g, V):
    """``g * V - g (g . V) / sum(g)`` row by row (a row of g sums to > 0)."""
    coef = _rowdot(g, V) / _row_sum(g)
    HV = g * V
    HV -= g * coef[:, None]
    return HV


class SoftmaxLoss(EntmaxLoss):
    r"""Cross-entropy of the softmax, the multinomial logistic loss (alpha = 1).

    .. math:: L(z; q) = \log \sum_k e^{z_k} - q \cdot z,
              \qquad \nabla_z L = \operatorname{softmax}(z) - q

    For one-hot ``q`` this is ``-log softmax(z)_y``, the loss of scikit-learn's
    ``LogisticRegression`` (``HalfMultinomialLoss``), and the limit
    ``alpha -> 1`` of the Fenchel-Young loss :class:`EntmaxLoss`; for label
    proportions it differs from that limit by the constant Shannon entropy
    of ``q`` (same gradient, same minimizer). ``EntmaxLoss(1.0)`` is this
    loss. ``log sum_k e^{z_k}`` is computed as ``log1p`` of the terms
    other than the maximum, so that a loss near 0 keeps its relative
    precision.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_softmax.losses import SoftmaxLoss
    >>> loss, grad = SoftmaxLoss().loss_gradient(np.array([[0.0, 0.0]]),
    ...                                          np.array([[1.0, 0.0]]))
    >>> loss.round(4), grad
    (array([0.6931]), array([[-0.5,  0.5]]))
    >>> SoftmaxLoss().loss_gradient(np.array([[0.0, 0.0]]), np.array([0]))[1]
    array([[-0.5,  0.5]])
    """

    def __init__(self):
        self.alpha = 1.0

    def __repr__(self):
        return "SoftmaxLoss()"


class SparsemaxLoss(EntmaxLoss):
    r"""Sparsemax loss (Martins & Astudillo, 2016), the member alpha = 2.

    .. math:: L(z; q) = -q \cdot z + \tfrac12 \sum_{j \in S(z)} (z_j^2 - \tau^2)
              + \tfrac12 \|q\|^2,
              \qquad \nabla_z L = \operatorname{sparsemax}(z) - q

    where ``S(z)`` is the support of ``p = sparsemax(z)`` and ``tau`` its
    threshold. Since ``p_j = z_j - tau`` on the support and ``p`` sums to 1,
    ``sum_S (z_j^2 - tau^2) = ||p||^2 + 2 tau``, and the loss is computed in
    the shift-invariant form ``||p||^2 / 2 + tau - q . z + ||q||^2 / 2`` (with
    ``z`` shifted by its maximum). It is non-negative and zero exactly when
    ``sparsemax(z) == q``: ``EntmaxLoss(alpha=2)``, term for term.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_softmax.losses import SparsemaxLoss
    >>> loss, grad = SparsemaxLoss().loss_gradient(np.array([[0.0, 2.0]]),
    ...                                            np.array([[0.0, 1.0]]))
    >>> loss, grad
    (array([0.]), array([[0., 0.]]))
    """

    def __init__(self):
        self.alpha = 2.0

    def __repr__(self):
        return "SparsemaxLoss()"


def losses():
    """Return the members of the family that the package names.

    One instance of each class, and ``EntmaxLoss`` at a few ``alpha``: what
    the common loss tests hold to one contract.

    Returns
    -------
    losses : list of EntmaxLoss
        The losses, :class:`SoftmaxLoss` and :class:`SparsemaxLoss` first.
    """
    return [
        SoftmaxLoss(),
        SparsemaxLoss(),
        *(EntmaxLoss(alpha) for alpha in (1.0001, 1.25, 1.5, 1.75, 2.5, 3.0)),
    ]
