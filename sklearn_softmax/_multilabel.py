"""Multilabel estimators: label sets as target distributions ``q = y / |y|``.

They share the losses, objective and solver of the multiclass estimators and
differ only in how ``y`` becomes target distributions and how label sets are
read off the predicted distribution.
"""

from numbers import Real

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._base import BaseLinearDistributionClassifier, dask_dispatch
from ._classes import ALPHA_CONSTRAINT
from ._docstrings import fill
from ._sklearn_compat import Interval, StrOptions, _fit_context
from ._targets import ClassTargets, LabelSetTargets
from .losses import EntmaxLoss, SoftmaxLoss, SparsemaxLoss

__all__ = [
    "MultilabelEntmaxRegression",
    "MultilabelSoftmaxRegression",
    "MultilabelSparsemaxRegression",
]


class _BaseMultilabel(BaseLinearDistributionClassifier):
    """Multilabel linear model: ``p = mapping(z / T)`` over labels (+ null)."""

    _parameter_constraints = {
        **BaseLinearDistributionClassifier._parameter_constraints,
        "threshold": [StrOptions({"auto"}), Interval(Real, 0, 1, closed="both")],
        "null_outcome": [StrOptions({"auto"}), "boolean"],
        "weighting": [StrOptions({"sample", "label"})],
    }

    def __init__(
        self,
        *,
        C=1.0,
        fit_intercept=True,
        temperature=1.0,
        threshold="auto",
        null_outcome="auto",
        weighting="sample",
        class_weight=None,
        max_iter=500,
        tol=1e-4,
        warm_start=False,
        verbose=0,
    ):
        self.C = C
        self.fit_intercept = fit_intercept
        self.temperature = temperature
        self.threshold = threshold
        self.null_outcome = null_outcome
        self.weighting = weighting
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, classes=None):
        """Fit the model on label sets (or single labels).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data. Sparse data is used as CSR, never densified.
        y : {array-like, sparse matrix} of shape (n_samples, n_labels) or (n_samples,)
            Label indicator matrix (1 where a label is in the sample's set),
            dense or sparse. Row ``i`` is fitted as the distribution
            ``y_i / |y_i|``; rows without a label go to the null outcome (see
            ``null_outcome``). A 1-D ``y`` holds one label per sample and is
            fitted as in the multiclass estimators.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights; weight ``k`` is the same as repeating a
            sample ``k`` times.
        classes : array-like of shape (n_classes,), default=None
            For a 1-D ``y`` only: all class labels, when known up front.

        Returns
        -------
        self : object
            The fitted estimator.

        Notes
        -----
        ``X`` and ``y`` may be dask arrays (see the "Scaling out" page).
        """
        return self._fit(X, y, sample_weight, classes)

    # Fitted on a 1-D y: the multiclass model, without the null outcome.
    _target_defaults = {"_multilabel": False, "null_outcome_": False}

    def _make_targets(self, y_shape, classes):
        if len(y_shape) == 2 and y_shape[1] > 1:
            return LabelSetTargets(self.null_outcome, self.weighting, self.class_weight)
        return ClassTargets(self.class_weight, classes)

    def _set_coef(self, coef, intercept):
        if self.null_outcome_:
            self.coef_, self.null_coef_ = coef[:-1], coef[-1]
            self.intercept_, self.null_intercept_ = intercept[:-1], intercept[-1]
        else:
            self.coef_, self.intercept_ = coef, intercept
            self.null_coef_ = self.null_intercept_ = None

    def _stacked_coef(self):
        if self.null_outcome_:
            return (
                np.vstack([self.coef_, self.null_coef_]),
                np.append(self.intercept_, self.null_intercept_),
            )
        return self.coef_, self.intercept_

    def _threshold(self):
        threshold = self._prediction_threshold()
        return threshold if threshold != "auto" else self._auto_threshold()

    def _auto_threshold(self):
        """``threshold="auto"``: ``1 / n_labels``, the labels above a uniform
        share, for every loss. For sparsemax and entmax the support
        (threshold 0) was the worse default on every shared MULAN set, at
        C=1 and T=1 (test micro-F1, support against 1/K): sparsemax yeast
        53.6 / 63.7 (10.6 labels per sample for a true 4.25), enron 43.5 /
        44.6, emotions 65.3 / 66.4, scene 63.9 / 64.1; 1.5-entmax 50.2 / 64.2,
        34.8 / 46.0, 60.8 / 65.2, 62.7 / 65.2."""
        return 1.0 / len(self.classes_)

    def _prediction_threshold(self):
        """The threshold setting that predictions use (a CV estimator: the
        chosen one)."""
        self._check_prediction_params("threshold")
        return self.threshold

    @dask_dispatch
    def predict(self, X):
        """Predicted label sets: the labels whose probability exceeds ``threshold``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples, n_labels) or (n_samples,)
            Indicator matrix of the predicted sets, in the dtype of the
            training ``y``; labels (as in the multiclass estimators) when the
            model was fitted on a 1-D ``y``. The null outcome is never part of
            a set: a sample whose mass sits on it gets the empty set.
        """
        check_is_fitted(self)
        if not self._multilabel:
            return super().predict(X)
        return (self.predict_proba(X) > self._threshold()).astype(self._indicator_dtype)

    @dask_dispatch
    def predict_empty_proba(self, X):
        """Probability of the null outcome ``p(empty set)``.

        ``predict_proba(X).sum(axis=1) + predict_empty_proba(X) == 1``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        p_empty : ndarray of shape (n_samples,)
            Zeros when the null outcome is not active (``null_outcome_`` is
            False).
        """
        Z = self._logits(X)
        temperature = self._prediction_temperature()
        if not self.null_outcome_:
            return np.zeros(Z.shape[0], dtype=Z.dtype)
        return self._make_loss().predict_proba(Z, temperature=temperature)[:, -1]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


_MULTILABEL_DOC = """
    Label sets are fitted as distributions: the target of a sample with label
    set ``y_i`` is ``q_i = y_i / |y_i|``, and the coefficients minimize

    .. math::

        \\frac{{1}}{{s_{{sum}}}} \\sum_{{i=1}}^{{n}} s_i L(z_i; q_i)
        + \\frac{{1}}{{2 C s_{{sum}}}} \\|W\\|_F^2, \\qquad {loss}

    with ``z_i = x_i W + b`` (the intercept is not penalized), the objective
    and solver of :class:`{multiclass}`. The predicted distribution is
    ``p = {mapping}(z / temperature)`` and the predicted set is
    ``{{k : p_k > threshold}}``.

    **Weighting.** With ``weighting="label"`` the sample weights ``s_i``
    above become ``s_i |y_i|``: a sample counts once per label of its set,
    which is the same as summing the single-label loss over the labels of the
    set (the "pick-all-labels" reduction; Menon et al., 2019). Fitted that
    way, the model's distribution estimates the label marginals normalized
    to sum to one, ``P(y_k = 1 | x) / E[|y| | x]``, so it ranks labels as
    their marginals do; the default (``"sample"``, every sample once, the
    objective of Martins & Astudillo) estimates ``E[y_k / |y| | x]``, which
    gives less to labels that come in large sets.

    **Empty label sets.** The support of a distribution over the labels is
    never empty, so a sample without labels has no target there. With
    ``null_outcome`` active the model has one more outcome, "no label": empty
    rows put their mass on it, it is never part of a predicted set, and it
    is how the model predicts an empty set. It is active by default exactly
    when the training ``y`` has empty rows (``null_outcome="auto"``), so it
    changes nothing on data without them. Then ``predict_proba`` rows sum to
    ``1 - p(empty)``, and :meth:`predict_empty_proba` returns ``p(empty)``.
    With ``null_outcome=False`` empty rows are left out of the fit.

    ``predict_proba`` is one distribution over the labels, not a set of
    per-label marginals: with three labels in a set, each gets about 1/3.

    **What to tune.** ``C`` first (``np.logspace(-3, 1, 9)`` covers the
    shared MULAN sets), then the threshold (shares of ``1 / n_labels``{tune})
    and the temperature; ``Multilabel{multiclass}CV`` searches all of them
    at the cost of one regularization path per fold. The defaults (``C=1``,
    ``threshold="auto"``) are a start, not a tuned model.

    Parameters
    ----------
{alpha}    <<fit parameters>>
    temperature : float, default=1.0
        Positive temperature dividing the logits at prediction time; not used
        in fitting (under an L2 penalty it would only rescale ``C``). {temperature}
    threshold : float in [0, 1] or "auto", default="auto"
        A label is predicted when its probability exceeds it. "auto" is
        ``1 / n_labels``: the labels above a uniform share. {auto}A
        prediction-time parameter, like ``temperature``. As the
        probabilities sum to at most 1, fewer than ``1 / threshold`` labels
        can exceed a positive threshold: at most ``n_labels - 1`` for
        ``1 / n_labels``.
    null_outcome : bool or "auto", default="auto"
        Whether to learn the "no label" outcome; "auto" means when the
        training ``y`` has a row without labels.
    weighting : {{"sample", "label"}}, default="sample"
        How much a sample weighs in the loss: "sample", once (times its
        ``sample_weight``); "label", once per label of its set (an empty set
        with the null outcome counts once). See "Weighting" above. Only used
        for an indicator ``y``: with one label per sample both are the same.
    class_weight : dict, "balanced" or None, default=None
        Weights of the labels, ``{{label index: weight}}`` (of the classes for
        a 1-D ``y``, as in the multiclass estimators). Each pair (sample,
        label) of the pick-all-labels reduction weighs as its label: a set
        ``y_i`` is fitted as ``w * y_i / (w . y_i)`` and its sample weight is
        multiplied by the mean of its labels' weights (their sum with
        ``weighting="label"``); empty sets keep their weight (the null
        outcome weighs 1, as a class missing from the dict). "balanced":
        ``w_k = P / (n_labels p_k)``, with ``p_k`` the total sample weight of
        the sets that hold label ``k`` and ``P`` the sum of the ``p_k``.
    <<multilabel solver parameters>>

    Attributes
    ----------
    classes_ : ndarray of shape (n_labels,)
        ``np.arange(n_labels)`` for an indicator ``y``; the class labels for a
        1-D ``y``.
    coef_ : ndarray of shape (n_labels, n_features)
        Coefficients of the labels (one row for a binary 1-D ``y``).
    intercept_ : ndarray of shape (n_labels,)
        Intercepts of the labels.
    null_outcome_ : bool
        Whether the fitted model has the null outcome.
    null_coef_ : ndarray of shape (n_features,) or None
        Coefficients of the null outcome, None when it is not active.
    null_intercept_ : float or None
        Intercept of the null outcome, None when it is not active.
    <<fit attributes>>
"""


_SUPPORT_NOTE = (
    "0 predicts the support (every label with a nonzero probability): "
    "untuned, at C=1 and T=1, it predicted larger sets and a lower micro-F1 "
    "than ``1 / n_labels`` on every shared MULAN set (yeast: 10.6 labels per "
    "sample for a true 4.25). "
)


@fill
class MultilabelSoftmaxRegression(_BaseMultilabel):
    __doc__ = (
        """Softmax regression on label sets (multilabel classification).
"""
        + _MULTILABEL_DOC.format(
            loss=r"L(z; q) = \log \sum_k e^{z_k} - q \cdot z",
            multiclass="SoftmaxRegression",
            mapping="softmax",
            temperature="It sharpens (< 1) or flattens (> 1) the distribution.",
            auto="",
            tune="",
            alpha="",
        )
        + """
    See Also
    --------
    MultilabelSparsemaxRegression : Sparse distributions; the set is the support.
    SoftmaxRegression : One label per sample.

    References
    ----------
    A. K. Menon, A. S. Rawat, S. J. Reddi and S. Kumar. Multilabel
    reductions: what is my loss optimising? NeurIPS 2019.

    Examples
    --------
    >>> from sklearn.datasets import make_multilabel_classification
    >>> from sklearn_softmax import MultilabelSoftmaxRegression
    >>> X, Y = make_multilabel_classification(n_samples=200, n_classes=4,
    ...                                       random_state=0)
    >>> clf = MultilabelSoftmaxRegression(C=0.1).fit(X, Y)
    >>> clf.predict(X[:3])
    array([[1, 0, 0, 0],
           [0, 0, 0, 0],
           [1, 0, 1, 0]])
    >>> clf.predict_proba(X[:1]).round(2)
    array([[0.48, 0.  , 0.1 , 0.  ]])
    >>> clf.null_outcome_  # make_multilabel_classification has empty sets
    True
    >>> clf.predict_empty_proba(X[:2]).round(2)
    array([0.4 , 0.72])
    """
    )
    def _make_loss(self):
        return SoftmaxLoss()


@fill
class MultilabelSparsemaxRegression(_BaseMultilabel):
    __doc__ = (
        """Sparsemax regression on label sets: the predicted set is the support.

    Martins & Astudillo (2016), section 4: the sparsemax loss with label
    proportions as targets. With ``threshold=0`` the predicted set is the
    support of ``sparsemax(z / temperature)`` (the paper's rule), and the
    temperature sets its size (lower: fewer labels); the default ``"auto"``
    keeps the labels above a uniform share, a subset of the support that
    measured better untuned (see ``threshold``).
"""
        + _MULTILABEL_DOC.format(
            loss=(
                r"L(z; q) = -q \cdot z + \tfrac12 \sum_{j \in S(z)} "
                r"(z_j^2 - \tau^2) + \tfrac12 \|q\|^2"
            ),
            multiclass="SparsemaxRegression",
            mapping="sparsemax",
            temperature="Lower values give smaller predicted sets.",
            auto=_SUPPORT_NOTE,
            tune=", and 0: the support",
            alpha="",
        )
        + """
    See Also
    --------
    MultilabelSoftmaxRegression : Dense distributions with a threshold.
    SparsemaxRegression : One label per sample.

    References
    ----------
    A. F. T. Martins and R. F. Astudillo. From softmax to sparsemax: a sparse
    model of attention and multi-label classification. ICML 2016.

    A. K. Menon, A. S. Rawat, S. J. Reddi and S. Kumar. Multilabel
    reductions: what is my loss optimising? NeurIPS 2019.

    Examples
    --------
    >>> from sklearn.datasets import make_multilabel_classification
    >>> from sklearn_softmax import MultilabelSparsemaxRegression
    >>> X, Y = make_multilabel_classification(n_samples=200, n_classes=4,
    ...                                       random_state=0)
    >>> clf = MultilabelSparsemaxRegression(C=0.1).fit(X, Y)
    >>> clf.predict(X[:3])  # the labels above 1 / 4
    array([[1, 0, 0, 0],
           [0, 0, 0, 0],
           [1, 1, 1, 0]])
    >>> clf.predict_proba(X[:1]).round(2)
    array([[0.52, 0.  , 0.15, 0.  ]])
    >>> clf.set_params(threshold=0).predict(X[:3])  # the support
    array([[1, 0, 1, 0],
           [1, 1, 0, 0],
           [1, 1, 1, 0]])
    >>> clf.set_params(temperature=0.5).predict(X[:3])  # T < 1: smaller sets
    array([[1, 0, 0, 0],
           [0, 0, 0, 0],
           [1, 1, 1, 0]])
    """
    )
    def _make_loss(self):
        return SparsemaxLoss()


_ALPHA_PARAMETER = """\
    alpha : float, default=1.5
        The entmax parameter, ``alpha >= 1`` (a training parameter: it
        changes the loss).
"""


@fill
class MultilabelEntmaxRegression(_BaseMultilabel):
    __doc__ = (
        """Alpha-entmax regression on label sets: sparse label distributions.

    Between :class:`MultilabelSoftmaxRegression` (``alpha = 1``) and
    :class:`MultilabelSparsemaxRegression` (``alpha = 2``): for ``alpha > 1``
    the distribution ``entmax_alpha(z / temperature)`` has exact zeros; with
    ``threshold=0`` the predicted set is its support, whose size the
    temperature sets (lower: fewer labels).
"""
        + _MULTILABEL_DOC.format(
            loss=(
                r"L_\alpha(z; q) = \langle p - q, z \rangle + H_\alpha(p) "
                r"- H_\alpha(q)"
            ),
            multiclass="EntmaxRegression",
            mapping="entmax_alpha",
            temperature="Lower values give smaller predicted sets.",
            auto=_SUPPORT_NOTE,
            tune=", and 0: the support",
            alpha=_ALPHA_PARAMETER,
        )
        + """
    See Also
    --------
    MultilabelSparsemaxRegression : ``alpha = 2``.
    EntmaxRegression : One label per sample.

    References
    ----------
    B. Peters, V. Niculae and A. F. T. Martins. Sparse sequence-to-sequence
    models. ACL 2019.

    Examples
    --------
    >>> from sklearn.datasets import make_multilabel_classification
    >>> from sklearn_softmax import MultilabelEntmaxRegression
    >>> X, Y = make_multilabel_classification(n_samples=200, n_classes=4,
    ...                                       random_state=0)
    >>> clf = MultilabelEntmaxRegression(alpha=1.5, C=0.1).fit(X, Y)
    >>> clf.predict_proba(X[:1]).round(2)
    array([[0.52, 0.  , 0.12, 0.  ]])
    >>> clf.set_params(threshold=0).predict(X[:3])  # the support
    array([[1, 0, 1, 0],
           [1, 1, 1, 1],
           [1, 1, 1, 1]])
    >>> clf.set_params(temperature=0.5).predict(X[:3])  # T < 1: smaller sets
    array([[1, 0, 1, 0],
           [0, 0, 0, 0],
           [1, 1, 1, 0]])
    """
    )

    _parameter_constraints = {
        **_BaseMultilabel._parameter_constraints,
        "alpha": ALPHA_CONSTRAINT,
    }

    def __init__(
        self,
        *,
        alpha=1.5,
        C=1.0,
        fit_intercept=True,
        temperature=1.0,
        threshold="auto",
        null_outcome="auto",
        weighting="sample",
        class_weight=None,
        max_iter=500,
        tol=1e-4,
        warm_start=False,
        verbose=0,
    ):
        super().__init__(
            C=C,
            fit_intercept=fit_intercept,
            temperature=temperature,
            threshold=threshold,
            null_outcome=null_outcome,
            weighting=weighting,
            class_weight=class_weight,
            max_iter=max_iter,
            tol=tol,
            warm_start=warm_start,
            verbose=verbose,
        )
        self.alpha = alpha

    def _make_loss(self):
        return EntmaxLoss(self.alpha)
