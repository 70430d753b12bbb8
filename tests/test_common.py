"""scikit-learn's estimator check suite over every public estimator."""

from discovery import public_estimators
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_softmax import MultilabelSparsemaxRegression


def expected_failed_checks(estimator):
    if isinstance(estimator, MultilabelSparsemaxRegression):
        return {
            "check_classifiers_multilabel_output_format_predict_proba": (
                "The check demands 0 < predict_proba < 1 for multilabel targets; "
                "sparsemax gives exact zeros (and ones) by design: labels outside "
                "the predicted set have probability 0."
            )
        }
    return {}


@parametrize_with_checks(
    [Estimator() for Estimator in public_estimators()],
    expected_failed_checks=expected_failed_checks,
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
