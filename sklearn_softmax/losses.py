"""Losses in logit space, on target distributions.

A loss is defined by its probability mapping (softmax or sparsemax), and its
gradient with respect to the logits is always ``P - Q``: the predicted minus
the target distribution (both are Fenchel-Young losses, Blondel, Martins &
Niculae 2020). Targets ``Q`` are distributions, one row per sample: one-hot
rows for multiclass problems, label proportions ``y / |y|`` for multilabel.

The losses are stateless; :meth:`loss_gradient` returns the per-sample values
and the gradient together, computed in one pass over the logits. Logits must
be finite here (they come from a linear model); the probability mappings in
:mod:`sklearn_softmax.functional` handle the general case.
"""

import numpy as np

from .functional import _sparsemax_rows, log_softmax, softmax, sparsemax

__all__ = ["SoftmaxLoss", "SparsemaxLoss"]


class _BaseLoss:
    """A loss ``L(z; q)`` with its mapping ``z -> p`` (one row per sample)."""

    def predict_proba(self, Z, temperature=1.0):
        """Predicted distributions ``P`` of logits ``Z`` at ``temperature``."""
        return self.mapping(Z, axis=1, temperature=temperature)

    def predict_log_proba(self, Z, temperature=1.0):
        """Logarithm of :meth:`predict_proba`: ``-inf`` at exact zeros, silently."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(Z, temperature=temperature))

    def loss(self, Z, Q):
        """Per-sample losses, shape ``(n_samples,)``."""
        return self.loss_gradient(Z, Q)[0]

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
    """

    name = "softmax"
    mapping = staticmethod(softmax)

    def predict_log_proba(self, Z, temperature=1.0):
        """``log_softmax(Z / temperature)``, exact where the softmax underflows."""
        return log_softmax(Z, axis=1, temperature=temperature)

    def loss_gradient(self, Z, Q):
        """Per-sample losses and their gradient ``P - Q`` with respect to ``Z``.

        Parameters
        ----------
        Z : ndarray of shape (n_samples, n_classes)
            Finite logits.
        Q : ndarray of shape (n_samples, n_classes)
            Target distributions (rows sum to 1).

        Returns
        -------
        loss : ndarray of shape (n_samples,)
        gradient : ndarray of shape (n_samples, n_classes)
        """
        zmax = Z.max(axis=1, keepdims=True)
        P = np.subtract(Z, zmax)
        # q . z on the shifted logits (q sums to 1, so the shift cancels).
        qz = np.einsum("ij,ij->i", Q, P)
        np.exp(P, out=P)
        norm = P.sum(axis=1)
        P /= norm[:, None]
        loss = np.log(norm) - qz
        P -= Q
        return loss, P


class SparsemaxLoss(_BaseLoss):
    r"""Sparsemax loss (Martins & Astudillo, 2016).

    .. math:: L(z; q) = -q \cdot z + \tfrac12 \sum_{j \in S(z)} (z_j^2 - \tau^2)
              + \tfrac12 \|q\|^2,
              \qquad \nabla_z L = \operatorname{sparsemax}(z) - q

    where ``S(z)`` is the support of ``sparsemax(z)`` and ``tau`` its threshold.
    It is computed in the equivalent, shift-invariant form
    ``(p - q) . z - ||p||^2 / 2 + ||q||^2 / 2``. It is non-negative and zero
    exactly when ``sparsemax(z) == q``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_softmax.losses import SparsemaxLoss
    >>> loss, grad = SparsemaxLoss().loss_gradient(np.array([[0.0, 2.0]]),
    ...                                            np.array([[0.0, 1.0]]))
    >>> loss, grad
    (array([0.]), array([[0., 0.]]))
    """

    name = "sparsemax"
    mapping = staticmethod(sparsemax)

    def loss_gradient(self, Z, Q):
        """Per-sample losses and their gradient ``P - Q`` with respect to ``Z``.

        Parameters
        ----------
        Z : ndarray of shape (n_samples, n_classes)
            Finite logits.
        Q : ndarray of shape (n_samples, n_classes)
            Target distributions (rows sum to 1).

        Returns
        -------
        loss : ndarray of shape (n_samples,)
        gradient : ndarray of shape (n_samples, n_classes)
        """
        P = np.subtract(Z, Z.max(axis=1, keepdims=True))
        tau, _ = _sparsemax_rows(P)
        shifted = P.copy()
        P -= tau.astype(P.dtype, copy=False)[:, None]
        np.maximum(P, 0.0, out=P)
        P -= Q
        # (p - q) . z + (||q||^2 - ||p||^2) / 2, with ||q||^2 - ||p||^2 =
        # -(p - q) . (p + q) = -(p - q) . ((p - q) + 2 q).
        loss = np.einsum("ij,ij->i", P, shifted)
        loss -= 0.5 * np.einsum("ij,ij->i", P, P)
        loss -= np.einsum("ij,ij->i", P, Q)
        return loss, P
