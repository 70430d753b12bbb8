"""The public multiclass estimators: each one only chooses its loss."""

from numbers import Real

from ._base import BaseLinearDistributionClassifier
from ._docstrings import fill
from ._sklearn_compat import Interval
from .losses import EntmaxLoss, SoftmaxLoss, SparsemaxLoss

__all__ = ["EntmaxRegression", "SoftmaxRegression", "SparsemaxRegression"]

# The constraint of the entmax estimators' ``alpha``.
ALPHA_CONSTRAINT = [Interval(Real, 1, None, closed="left")]


@fill
class SoftmaxRegression(BaseLinearDistributionClassifier):
    r"""Multinomial logistic (softmax) regression with temperature scaling.

    The logits are ``z = X @ coef_.T + intercept_`` and the probabilities
    ``softmax(z / temperature)``. The coefficients minimize

    .. math::

        \frac{1}{s_{sum}} \sum_{i=1}^{n} s_i \Big(\log \sum_k e^{z_{ik}}
        - z_{i y_i}\Big) + \frac{1}{2 C s_{sum}} \|W\|_F^2

    where ``s`` are the sample weights (times the class weights), ``s_sum``
    their sum and ``W`` the coefficient matrix; the intercept is not
    penalized. This is the objective of
    ``LogisticRegression(solver="lbfgs")``: for three or more classes both
    give the same coefficients for the same ``C``.

    **Binary problems** use the symmetric two-class softmax, ``W = (-w/2, w/2)``:
    ``coef_`` has shape ``(1, n_features)`` (it is ``w``, the difference of the
    two class rows) and the solution is that of ``LogisticRegression(C=2 * C)``.

    **Temperature** is a prediction-time parameter: the coefficients are
    learned at temperature 1 and ``temperature`` divides the logits in
    :meth:`predict_proba`. With an L2 penalty, a temperature applied during
    training would only rescale ``C`` (fitting ``W / T`` at ``C`` is fitting
    ``W`` at ``C / T^2``), so it adds nothing there; at prediction time it is
    temperature scaling, a one-parameter calibration that leaves
    :meth:`predict` unchanged. Tune it with ``GridSearchCV`` and a proper
    scoring rule such as ``"neg_log_loss"``; ``set_params(temperature=...)``
    takes effect without refitting.

    Parameters
    ----------
    <<fit parameters>>
    <<temperature>>
    <<class weight>>
    <<solver parameters>>

    <<multiclass attributes>>

    See Also
    --------
    SparsemaxRegression : The same model with sparse probabilities.
    sklearn.linear_model.LogisticRegression : The same objective, without
        temperature.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn_softmax import SoftmaxRegression
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = SoftmaxRegression(C=1.0, max_iter=1000).fit(X, y)
    >>> clf.predict(X[:2])
    array([0, 0])
    >>> clf.predict_proba(X[:1]).round(3)
    array([[0.982, 0.018, 0.   ]])
    >>> clf.set_params(temperature=2.0).predict_proba(X[:1]).round(3)
    array([[0.879, 0.12 , 0.   ]])
    """

    def _make_loss(self):
        return SoftmaxLoss()


@fill
class SparsemaxRegression(BaseLinearDistributionClassifier):
    r"""Sparsemax regression: a linear classifier with sparse probabilities.

    The logits are ``z = X @ coef_.T + intercept_`` and the probabilities
    ``sparsemax(z / temperature)``, the Euclidean projection of the scaled
    logits onto the probability simplex (Martins & Astudillo, 2016). Unlike
    softmax it assigns exact zeros to unlikely classes. The coefficients
    minimize the regularized sparsemax loss

    .. math::

        \frac{1}{s_{sum}} \sum_{i=1}^{n} s_i L(z_i; e_{y_i})
        + \frac{1}{2 C s_{sum}} \|W\|_F^2,
        \qquad L(z; q) = -q \cdot z + \tfrac12 \sum_{j \in S(z)}
        (z_j^2 - \tau(z)^2) + \tfrac12 \|q\|^2

    where ``S(z)`` and ``tau(z)`` are the support and threshold of
    ``sparsemax(z)``, ``s`` the sample weights (times the class weights) and
    ``s_sum`` their sum; the intercept is not penalized. The gradient of the
    loss with respect to ``z`` is ``sparsemax(z) - q``.

    **Binary problems** use the symmetric two-class model, ``W = (-w/2, w/2)``:
    ``coef_`` has shape ``(1, n_features)`` and ``decision_function`` is the
    logit difference; the probability of ``classes_[1]`` is
    ``clip((1 + d / T) / 2, 0, 1)`` for a decision value ``d``.

    **Temperature** is a prediction-time parameter: the coefficients are
    learned at temperature 1 and ``temperature`` divides the logits in
    :meth:`predict_proba`. With an L2 penalty, a temperature applied during
    training would only rescale ``C`` (``C -> C / T^2``), so it adds nothing
    there; at prediction time it controls sparsity: a lower temperature gives
    fewer classes with nonzero probability, a higher one more. It leaves
    :meth:`predict` unchanged and ``set_params(temperature=...)`` takes effect
    without refitting.

    Parameters
    ----------
    <<fit parameters>>
    <<temperature>>
    <<class weight>>
    <<solver parameters>>

    <<multiclass attributes>>

    See Also
    --------
    SoftmaxRegression : The same model with dense (softmax) probabilities.
    sklearn_softmax.functional.sparsemax : The probability mapping.

    References
    ----------
    A. F. T. Martins and R. F. Astudillo. From softmax to sparsemax: a sparse
    model of attention and multi-label classification. ICML 2016.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn_softmax import SparsemaxRegression
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = SparsemaxRegression(C=1.0, max_iter=1000).fit(X, y)
    >>> clf.predict(X[:2])
    array([0, 0])
    >>> clf.predict_proba(X[:1])
    array([[1., 0., 0.]])
    >>> round(float((clf.predict_proba(X) > 0).sum(axis=1).mean()), 2)  # support size
    1.41
    >>> clf.set_params(temperature=2.0).predict_proba(X[:1]).round(2)
    array([[0.79, 0.21, 0.  ]])
    """

    def _make_loss(self):
        return SparsemaxLoss()


@fill
class EntmaxRegression(BaseLinearDistributionClassifier):
    r"""Alpha-entmax regression: between softmax (alpha = 1) and sparsemax (2).

    The logits are ``z = X @ coef_.T + intercept_`` and the probabilities
    ``entmax_alpha(z / temperature)`` (Peters, Niculae & Martins, 2019): the
    maximizer of ``<p, z> + H_alpha(p)`` over the simplex, with the Tsallis
    entropy ``H_alpha``. Every ``alpha > 1`` gives exact zeros, more of them
    as ``alpha`` grows; 1.5 is the usual middle, sparse like sparsemax and
    smoother. The coefficients minimize the regularized entmax loss (the
    Fenchel-Young loss of ``H_alpha``)

    .. math::

        \frac{1}{s_{sum}} \sum_{i=1}^{n} s_i L_\alpha(z_i; e_{y_i})
        + \frac{1}{2 C s_{sum}} \|W\|_F^2,
        \qquad L_\alpha(z; q) = \langle p - q, z \rangle + H_\alpha(p)
        - H_\alpha(q), \quad
        H_\alpha(p) = \frac{1 - \sum_j p_j^\alpha}{\alpha (\alpha - 1)}

    with ``p = entmax_alpha(z)``, ``s`` the sample weights (times the class
    weights) and ``s_sum`` their sum; the intercept is not penalized. The
    gradient of the loss with respect to ``z`` is ``p - q``. At
    ``alpha = 1`` the model is :class:`SoftmaxRegression`, at ``alpha = 2``
    :class:`SparsemaxRegression` (the same code and coefficients).

    **Binary problems** use the symmetric two-class model, ``W = (-w/2, w/2)``:
    ``coef_`` has shape ``(1, n_features)`` and ``decision_function`` is the
    logit difference.

    **Temperature** is a prediction-time parameter, as in
    :class:`SparsemaxRegression`: a lower temperature gives fewer classes
    with nonzero probability. ``alpha`` is a training parameter: it changes
    the loss, so tune it with a refit per value (``EntmaxRegressionCV``).

    Parameters
    ----------
    alpha : float, default=1.5
        The entmax parameter, ``alpha >= 1``.
    <<fit parameters>>
    <<temperature>>
    <<class weight>>
    <<solver parameters>>

    <<multiclass attributes>>

    See Also
    --------
    SoftmaxRegression : ``alpha = 1``.
    SparsemaxRegression : ``alpha = 2``.
    sklearn_softmax.functional.entmax : The probability mapping.

    References
    ----------
    B. Peters, V. Niculae and A. F. T. Martins. Sparse sequence-to-sequence
    models. ACL 2019.

    M. Blondel, A. F. T. Martins and V. Niculae. Learning with Fenchel-Young
    losses. JMLR 2020.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn_softmax import EntmaxRegression
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = EntmaxRegression(alpha=1.5, C=1.0, max_iter=1000).fit(X, y)
    >>> clf.predict(X[:2])
    array([0, 0])
    >>> clf.predict_proba(X[[0, 60]]).round(3)
    array([[0.999, 0.001, 0.   ],
           [0.038, 0.962, 0.   ]])
    >>> clf.set_params(temperature=4.0).predict_proba(X[:1]).round(3)
    array([[0.668, 0.332, 0.   ]])
    """

    _parameter_constraints = {
        **BaseLinearDistributionClassifier._parameter_constraints,
        "alpha": ALPHA_CONSTRAINT,
    }

    def __init__(
        self,
        *,
        alpha=1.5,
        C=1.0,
        fit_intercept=True,
        temperature=1.0,
        class_weight=None,
        max_iter=100,
        tol=1e-4,
        warm_start=False,
        verbose=0,
    ):
        super().__init__(
            C=C,
            fit_intercept=fit_intercept,
            temperature=temperature,
            class_weight=class_weight,
            max_iter=max_iter,
            tol=tol,
            warm_start=warm_start,
            verbose=verbose,
        )
        self.alpha = alpha

    def _make_loss(self):
        return EntmaxLoss(self.alpha)
