"""The L2-regularized linear objective that the estimators minimize.

.. math::

    F(W, b) = \\frac{1}{s_{sum}} \\sum_i s_i L(x_i W + b; q_i)
              + \\frac{1}{2 C s_{sum}} \\|W\\|_F^2

with ``s`` the sample weights, ``s_sum`` their sum, the intercept ``b`` not
penalized, and ``L`` a loss of :mod:`sklearn_softmax.losses`. This is exactly
the objective of scikit-learn's ``LogisticRegression`` (``C`` has the same
meaning), with the loss left open.

Parameters are packed in one flat float64 vector, as ``scipy.optimize`` wants:
the ``(n_features, n_outputs)`` matrix ``W`` in C order, then ``b``.

Binary problems use one output (``n_outputs == 1``): the logits of the two
classes are ``(0, s)`` with ``s = x w + b``. This is the symmetric two-class
model ``W = (-w/2, w/2)``, whose penalty is ``||w||^2 / 2``; the penalty is
halved accordingly, so that the solution is that of the full two-class model.
"""

import numpy as np
from sklearn import get_config

__all__ = ["LinearObjective", "linear_logits"]


def linear_logits(X, W, b):
    """Logits ``(n_samples, n_classes)`` of the linear model ``X W + b``.

    With a single output column (binary problem) the logits are ``(0, s)``.
    """
    S = X @ W
    S += b
    if S.shape[1] == 1:
        return np.hstack([np.zeros_like(S), S])
    return S


class LinearObjective:
    """Value and gradient of the regularized objective, in one pass.

    Parameters
    ----------
    loss : SoftmaxLoss or SparsemaxLoss
        Pointwise loss in logit space.
    fit_intercept : bool
        Whether the packed parameters end with an (unpenalized) intercept.
    n_features : int
        Number of columns of ``X``.
    n_outputs : int
        Number of classes, or 1 for the symmetric binary model.
    """

    def __init__(self, loss, *, fit_intercept, n_features, n_outputs):
        self.loss = loss
        self.fit_intercept = fit_intercept
        self.n_features = n_features
        self.n_outputs = n_outputs

    @property
    def n_params(self):
        return (self.n_features + int(self.fit_intercept)) * self.n_outputs

    def unpack(self, params):
        """Views ``(W, b)`` of flat parameters (``b`` is zeros without intercept)."""
        params = np.asarray(params)
        W = params[: self.n_features * self.n_outputs].reshape(
            self.n_features, self.n_outputs
        )
        if self.fit_intercept:
            b = params[self.n_features * self.n_outputs :]
        else:
            b = np.zeros(self.n_outputs, dtype=params.dtype)
        return W, b

    def pack(self, W, b):
        """Flat float64 parameter vector from ``W`` and ``b``."""
        parts = [np.asarray(W, dtype=np.float64).ravel()]
        if self.fit_intercept:
            parts.append(np.asarray(b, dtype=np.float64).ravel())
        return np.concatenate(parts)

    def block_rows(self, n_samples, itemsize):
        """Rows per block: the logits of a block take at most 1/8 of scikit-learn's
        ``working_memory`` (128 MiB by default), the loss's temporaries a few
        times that, so that the memory of an evaluation does not grow with
        ``n_samples``."""
        n_classes = max(self.n_outputs, 2)
        budget = get_config()["working_memory"] * 2**20 / 8
        return int(max(1, min(n_samples, budget // (n_classes * itemsize))))

    def loss_gradient(self, params, X, Q, sample_weight, l2_reg_strength):
        """Objective value and its gradient with respect to ``params``.

        Rows are processed in blocks (see :meth:`block_rows`): per block one
        ``X_b @ W``, the loss and ``P - Q`` in place, one ``X_b.T @ G``.

        Parameters
        ----------
        params : ndarray of shape (n_params,)
            Packed ``(W, b)``.
        X : {ndarray, sparse matrix} of shape (n_samples, n_features)
            Data, float32 or float64; never densified.
        Q : ndarray of shape (n_samples, n_classes) or (n_samples,)
            Target distributions, or class indices for one-hot targets.
        sample_weight : ndarray of shape (n_samples,)
            Sample weights divided by their sum.
        l2_reg_strength : float
            ``1 / (C * s_sum)``.

        Returns
        -------
        value : float
        gradient : ndarray of shape (n_params,), float64
        """
        W, b = self.unpack(params)
        dtype = X.dtype
        W_X, b_X = W.astype(dtype, copy=False), b.astype(dtype, copy=False)
        n_samples = X.shape[0]
        step = self.block_rows(n_samples, dtype.itemsize)

        grad = np.zeros_like(params, dtype=np.float64)
        grad_W, grad_b = self.unpack(grad)
        value = 0.0
        for start in range(0, n_samples, step):
            block = slice(start, min(start + step, n_samples))
            X_b = X if step >= n_samples else X[block]
            loss, G = self.loss.loss_gradient(
                linear_logits(X_b, W_X, b_X), Q[block], overwrite_z=True
            )
            if self.n_outputs == 1:
                G = G[:, 1:]
            sw = sample_weight[block]
            value += float(loss @ sw)
            G *= sw.astype(dtype, copy=False)[:, None]
            grad_W += X_b.T @ G
            if self.fit_intercept:
                grad_b += G.sum(axis=0)

        penalty_scale = 0.5 if self.n_outputs == 1 else 1.0
        l2 = penalty_scale * l2_reg_strength
        value += 0.5 * l2 * float(W.ravel() @ W.ravel())
        grad_W += l2 * W
        return value, grad
