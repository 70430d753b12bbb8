"""Softmax and sparsemax regression: scikit-learn estimators.

Public estimators
-----------------
SoftmaxRegression
    Multinomial logistic regression with prediction-time temperature.
SparsemaxRegression
    Linear classifier whose probabilities are the sparsemax of the logits.
MultilabelSoftmaxRegression, MultilabelSparsemaxRegression
    The same models fitted on label sets, predicting label sets.

The probability mappings live in :mod:`sklearn_softmax.functional`, the losses
in :mod:`sklearn_softmax.losses`.
"""

from ._classes import SoftmaxRegression, SparsemaxRegression
from ._multilabel import MultilabelSoftmaxRegression, MultilabelSparsemaxRegression
from ._version import __version__

__all__ = [
    "MultilabelSoftmaxRegression",
    "MultilabelSparsemaxRegression",
    "SoftmaxRegression",
    "SparsemaxRegression",
    "__version__",
]
