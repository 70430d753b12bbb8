"""scikit-learn's estimator check suite, with no expected failures."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_softmax import SoftmaxRegression, SparsemaxRegression


@parametrize_with_checks([SoftmaxRegression(), SparsemaxRegression()])
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
