"""Softmax and sparsemax regression: scikit-learn estimators.

Public estimators
-----------------
SoftmaxRegression
    Multinomial logistic regression with prediction-time temperature.
SparsemaxRegression
    Linear classifier whose probabilities are the sparsemax of the logits.

The probability mappings live in :mod:`sklearn_softmax.functional`, the losses
in :mod:`sklearn_softmax.losses`.
"""

from ._classes import SoftmaxRegression, SparsemaxRegression

__version__ = "0.1.0.dev0"

__all__ = ["SoftmaxRegression", "SparsemaxRegression", "__version__"]
