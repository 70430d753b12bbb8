"""Losses in logit space, on target distributions.

A loss is defined by its probability mapping (softmax or sparsemax), and its
gradient with respect to the logits is always ``P - Q``: the predicted minus
the target distribution (both are Fenchel-Young losses, Blondel, Martins &
Niculae 2020). Targets ``Q`` are distributions, one row per sample (label
proportions ``y / |y|`` for multilabel), or, for one-hot targets, the 1-D
array of class indices, which saves the ``n x K`` one-hot matrix.

The losses are stateless; :meth:`loss_gradient` returns the per-sample values
and the gradient together, computed in one pass over the logits, in place when
allowed. Logits must be finite here (they come from a linear model; a NaN or
an infinity, as from an overflowing ``X @ coef``, is a ``ValueError`` with or
without the compiled sparsemax); the probability mappings in
:mod:`sklearn_softmax.functional` handle the general case.
"""

import numpy as np

from .functional import _sparsemax_threshold_rows, log_softmax, softmax, sparsemax

__all__ = ["SoftmaxLoss", "SparsemaxLoss"]

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


class _BaseLoss:
    """A loss ``L(z; q)`` with its mapping ``z -> p`` (one row per sample)."""

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
            ``-inf`` at exact zeros, without a warning.
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(Z, temperature=temperature))

    def start_logits(self, q_mean):
        """Return the intercept logits a fit starts from, with zero coefficients.

        Zeros, except for :class:`SoftmaxLoss`: ``log(q_mean)``, centered,
        the optimal intercept at zero coefficients.

        Parameters
        ----------
        q_mean : ndarray of shape (n_classes,)
            The (weighted) mean target distribution.

        Returns
        -------
        logits : ndarray of shape (n_classes,)
        """
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
        _check_targets(Q, Z.shape)
        S = Z if overwrite_z else Z.copy()
        # Both losses are shift invariant: work on z - max(z), in place.
        row_max = _row_max(S)
        if not np.isfinite(row_max).all():  # NaN propagates to the maximum
            raise ValueError(_OVERFLOW_MESSAGE)
        S -= row_max[:, None]
        return self._shifted_loss_gradient(S, Q)

    def __repr__(self):
        return f"{type(self).__name__}()"


class SoftmaxLoss(_BaseLoss):
    r"""Cross-entropy of the softmax, the multinomial logistic loss.

    .. math:: L(z; q) = \log \sum_k e^{z_k} - q \cdot z,
              \qquad \nabla_z L = \operatorname{softmax}(z) - q

    For one-hot ``q`` this is ``-log softmax(z)_y``, the loss of scikit-learn's
    ``LogisticRegression`` (``HalfMultinomialLoss``).

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

    mapping = staticmethod(softmax)

    def predict_log_proba(self, Z, temperature=1.0):
        """Return ``log_softmax(Z / temperature)``, exact where softmax underflows.

        Parameters
        ----------
        Z : array-like of shape (n_samples, n_classes)
            Logits.
        temperature : float, default=1.0
            Positive temperature dividing the logits.

        Returns
        -------
        log_P : ndarray of shape (n_samples, n_classes)
            Log-probabilities, finite for finite logits.
        """
        return log_softmax(Z, axis=1, temperature=temperature)

    def start_logits(self, q_mean):
        """``log(q_mean)``, centered: where every prediction is ``q_mean``."""
        # The prior log-odds, as a GLM's intercept-only fit. Against a start
        # at zero, L-BFGS iterations to come within 1e-5 of the optimal
        # objective: 40 -> 15 on MULAN yeast and 41 -> 38 on scene at C=0.01,
        # 72 -> 54 and 265 -> 208 on the sparse multilabel stand-in at C=0.01
        # and 1, 59 -> 47 on bench_fit.py's sparse multiclass problem; within
        # two either way on balanced targets. Zero-weight classes: log(1e-12).
        logits = np.log(np.maximum(q_mean, 1e-12))
        return logits - logits.mean()

    def _shifted_loss_gradient(self, P, Q):
        """Loss and ``P - Q`` from logits shifted by their maximum, in place."""
        # q . z on the shifted logits (q sums to 1, so the shift cancels).
        qz = _target_dot(P, Q)
        np.exp(P, out=P)
        norm = _row_sum(P)
        P *= (1 / norm)[:, None]
        loss = np.log(norm)
        loss -= qz
        _subtract_target(P, Q)
        return loss, P


class SparsemaxLoss(_BaseLoss):
    r"""Sparsemax loss (Martins & Astudillo, 2016).

    .. math:: L(z; q) = -q \cdot z + \tfrac12 \sum_{j \in S(z)} (z_j^2 - \tau^2)
              + \tfrac12 \|q\|^2,
              \qquad \nabla_z L = \operatorname{sparsemax}(z) - q

    where ``S(z)`` is the support of ``p = sparsemax(z)`` and ``tau`` its
    threshold. Since ``p_j = z_j - tau`` on the support and ``p`` sums to 1,
    ``sum_S (z_j^2 - tau^2) = ||p||^2 + 2 tau``, and the loss is computed in
    the shift-invariant form ``||p||^2 / 2 + tau - q . z + ||q||^2 / 2`` (with
    ``z`` shifted by its maximum). It is non-negative and zero exactly when
    ``sparsemax(z) == q``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_softmax.losses import SparsemaxLoss
    >>> loss, grad = SparsemaxLoss().loss_gradient(np.array([[0.0, 2.0]]),
    ...                                            np.array([[0.0, 1.0]]))
    >>> loss, grad
    (array([0.]), array([[0., 0.]]))
    """

    mapping = staticmethod(sparsemax)
    # start_logits: zeros. The optimum at zero coefficients (b = q_mean, as
    # sparsemax(q_mean) = q_mean) measured no better a start: L-BFGS
    # iterations to come within 1e-5 of the optimum 57 -> 56 on MULAN scene,
    # 19 -> 20 on yeast, 27 -> 27 on the sparse stand-in at C=0.01.

    def _shifted_loss_gradient(self, P, Q):
        """Loss and ``P - Q`` from logits shifted by their maximum, in place."""
        # One thread: a fit's products already use every core, and numba's
        # idle threads would spin against the BLAS ones.
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
