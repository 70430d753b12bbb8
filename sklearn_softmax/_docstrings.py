"""Docstring blocks that all the estimators share, written once.

An estimator's docstring holds markers such as ``<<fit parameters>>``,
``<<solver parameters>>`` and ``<<fit attributes>>`` on lines of their own;
:func:`fill` replaces them (class decorator).
"""

__all__ = ["fill"]

_SOLVER_REST = """\
    tol : float, default=1e-4
        The solver stops when the largest absolute gradient entry is below
        ``tol``.
    warm_start : bool, default=False
        Start from the previous solution when refitting on data with the same
        number of features and outcomes.
    verbose : int, default=0
        Print the objective at each L-BFGS iteration when positive."""

BLOCKS = {
    "fit parameters": """\
    C : float, default=1.0
        Inverse of the regularization strength, as in ``LogisticRegression``.
        ``np.inf`` switches the penalty off: on separable data the
        cross-entropy then has no minimizer (the coefficients grow until
        ``max_iter``), and the sparsemax loss reaches 0 on a whole set of
        minimizers (the solver stops at one of them).
    fit_intercept : bool, default=True
        Whether to fit an (unpenalized) intercept.""",
    "class weight": """\
    class_weight : dict or "balanced", default=None
        Weights ``{class_label: weight}`` (finite, non-negative) multiplying
        the sample weights. ``"balanced"`` gives class ``k`` the weight
        ``s_sum / (n_classes * s_k)``, where ``s_k`` is the total sample
        weight of the class and ``s_sum`` that of all classes: without sample
        weights, ``n_samples / (n_classes * np.bincount(y))``.""",
    "solver parameters": """\
    max_iter : int, default=100
        Maximum number of L-BFGS iterations.
"""
    + _SOLVER_REST,
    "multilabel solver parameters": """\
    max_iter : int, default=500
        Maximum number of L-BFGS iterations. Higher than
        ``LogisticRegression``'s 100: a distribution over many labels fitted to
        label proportions needs more (up to 230 measured on MULAN scene and
        a sparse text-like stand-in at ``C=1``).
"""
    + _SOLVER_REST,
    "temperature": """\
    temperature : float, default=1.0
        Positive temperature applied to the logits in :meth:`predict_proba`
        and :meth:`predict_log_proba`; not used in fitting.""",
    "multiclass attributes": """\
    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    coef_ : ndarray of shape (n_classes, n_features) or (1, n_features)
        Coefficients; one row for binary problems.
    intercept_ : ndarray of shape (n_classes,) or (1,)
        Intercepts (zeros when ``fit_intercept=False``).
    <<fit attributes>>""",
    "fit attributes": """\
    n_iter_ : ndarray of shape (1,)
        Number of solver iterations run (an array, as in
        ``LogisticRegression``): L-BFGS's, plus Newton steps where L-BFGS
        stopped on its relative reduction test before ``tol``.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when ``X`` has string column names.""",
}


def fill(cls):
    """Replace the ``<<block>>`` marker lines of ``cls.__doc__``."""
    doc = cls.__doc__
    for name, text in BLOCKS.items():
        doc = doc.replace(f"    <<{name}>>", text)
    assert "<<" not in doc, f"unknown docstring block in {cls.__name__}"
    cls.__doc__ = doc
    return cls
