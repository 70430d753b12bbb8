"""Softmax and sparsemax regression: scikit-learn estimators.

Public estimators
-----------------
SoftmaxRegression
    Multinomial logistic regression with prediction-time temperature.
SparsemaxRegression
    Linear classifier whose probabilities are the sparsemax of the logits.
MultilabelSoftmaxRegression, MultilabelSparsemaxRegression
    The same models fitted on label sets, predicting label sets.
SoftmaxRegressionCV, SparsemaxRegressionCV, Multilabel...RegressionCV
    Each with C (a warm-started path per fold), temperature and threshold
    chosen by cross-validation, without a refit per prediction-time setting.

The probability mappings live in :mod:`sklearn_softmax.functional`, the losses
in :mod:`sklearn_softmax.losses`.
"""

from ._classes import SoftmaxRegression, SparsemaxRegression
from ._cv import (
    MultilabelSoftmaxRegressionCV,
    MultilabelSparsemaxRegressionCV,
    SoftmaxRegressionCV,
    SparsemaxRegressionCV,
)
from ._multilabel import MultilabelSoftmaxRegression, MultilabelSparsemaxRegression
from ._version import __version__

__all__ = [
    "MultilabelSoftmaxRegression",
    "MultilabelSoftmaxRegressionCV",
    "MultilabelSparsemaxRegression",
    "MultilabelSparsemaxRegressionCV",
    "SoftmaxRegression",
    "SoftmaxRegressionCV",
    "SparsemaxRegression",
    "SparsemaxRegressionCV",
    "__version__",
]
