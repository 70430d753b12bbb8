"""scikit-learn's estimator check suite over every public estimator."""

import warnings

import pytest
from discovery import public_estimators
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import estimator_checks
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_softmax._cv import _RegressionCVMixin

SPARSE_PROBA = (
    "The check demands 0 < predict_proba < 1 for multilabel targets; sparsemax "
    "and entmax (alpha > 1) give exact zeros (and ones) by design: labels outside "
    "the predicted set have probability 0."
)


def expected_failed_checks(estimator):
    failures = {}
    name = type(estimator).__name__
    if name.startswith(("MultilabelSparsemax", "MultilabelEntmax")):
        failures["check_classifiers_multilabel_output_format_predict_proba"] = (
            SPARSE_PROBA
        )
    return failures


def instance(Estimator):
    # The CV estimators on a short grid and 2 folds: the same code, a tenth of
    # the cost (their results are checked against GridSearchCV in test_cv.py).
    if issubclass(Estimator, _RegressionCVMixin):
        # The entmax CV estimators on one alpha: the checks test the API; the
        # grid over alphas is checked against GridSearchCV in test_cv.py.
        alphas = {"alphas": [1.5]} if "alphas" in Estimator().get_params() else {}
        return Estimator(Cs=2, cv=2, **alphas)
    return Estimator()


@parametrize_with_checks(
    [instance(Estimator) for Estimator in public_estimators()],
    expected_failed_checks=expected_failed_checks,
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


# Checks of sklearn.utils.estimator_checks that parametrize_with_checks does
# not run, and that apply to these estimators: feature names must match at
# predict time; "balanced" class weights must be those of the whole y (the CV
# estimators compute them once, as LogisticRegressionCV).
LEFT_OUT_CHECKS = [
    "check_dataframe_column_names_consistency",
    "check_class_weight_balanced_linear_classifier",
    "check_param_validation",
    "check_estimator_cloneable",
]


@pytest.mark.parametrize("check_name", LEFT_OUT_CHECKS)
@pytest.mark.parametrize("Estimator", public_estimators(), ids=lambda e: e.__name__)
def test_checks_that_parametrize_with_checks_leaves_out(Estimator, check_name):
    estimator = instance(Estimator)
    if check_name.startswith("check_class_weight") and (
        "class_weight" not in estimator.get_params()
    ):
        pytest.skip("no class_weight: the multilabel estimators refuse it")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        getattr(estimator_checks, check_name)(Estimator.__name__, estimator)
