"""Softmax and sparsemax regression: scikit-learn estimators.

Public estimators
-----------------
SoftmaxRegression
    Multinomial logistic regression with prediction-time temperature.
SparsemaxRegression
    Linear classifier whose probabilities are the sparsemax of the logits.
EntmaxRegression
    The alpha-entmax family between them (alpha = 1: softmax, 2: sparsemax).
MultilabelSoftmaxRegression, MultilabelSparsemaxRegression, MultilabelEntmaxRegression
    The same models fitted on label sets, predicting label sets.
SoftmaxRegressionCV, SparsemaxRegressionCV, Multilabel...RegressionCV
    Each with C (a warm-started path per fold), temperature and threshold
    chosen by cross-validation, without a refit per prediction-time setting.

The probability mappings live in :mod:`sklearn_softmax.functional`, the losses
in :mod:`sklearn_softmax.losses`.
"""

from ._classes import EntmaxRegression, SoftmaxRegression, SparsemaxRegression
from ._cv import (
    EntmaxRegressionCV,
    MultilabelEntmaxRegressionCV,
    MultilabelSoftmaxRegressionCV,
    MultilabelSparsemaxRegressionCV,
    SoftmaxRegressionCV,
    SparsemaxRegressionCV,
)
from ._multilabel import (
    MultilabelEntmaxRegression,
    MultilabelSoftmaxRegression,
    MultilabelSparsemaxRegression,
)
from ._version import __version__

__all__ = [
    "EntmaxRegression",
    "EntmaxRegressionCV",
    "MultilabelEntmaxRegression",
    "MultilabelEntmaxRegressionCV",
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
