"""scikit-learn's estimator check suite over every public estimator."""

from discovery import public_estimators
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_softmax._cv import _RegressionCVMixin

SPARSE_PROBA = (
    "The check demands 0 < predict_proba < 1 for multilabel targets; sparsemax "
    "gives exact zeros (and ones) by design: labels outside the predicted set have "
    "probability 0."
)


def expected_failed_checks(estimator):
    failures = {}
    name = type(estimator).__name__
    if name.startswith("MultilabelSparsemax"):
        failures["check_classifiers_multilabel_output_format_predict_proba"] = (
            SPARSE_PROBA
        )
    return failures


def instance(Estimator):
    # The CV estimators on a short grid and 2 folds: the same code, a tenth of
    # the cost (their results are checked against GridSearchCV in test_cv.py).
    if issubclass(Estimator, _RegressionCVMixin):
        return Estimator(Cs=2, cv=2)
    return Estimator()


@parametrize_with_checks(
    [instance(Estimator) for Estimator in public_estimators()],
    expected_failed_checks=expected_failed_checks,
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
