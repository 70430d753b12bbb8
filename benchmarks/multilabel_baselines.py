"""Baselines of the multilabel benchmark: one-vs-rest and chained logistic
regression, with a constant for labels that a training fold lacks."""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.multioutput import ClassifierChain

SOLVER = dict(tol=1e-6, max_iter=1000)
OVR_THRESHOLDS = [0.05 * i for i in range(1, 11)]  # p0 of one-vs-rest


class LogisticOrConstant(ClassifierMixin, BaseEstimator):
    """Binary logistic regression; a constant probability when y has one value.

    Rare labels can be absent from a training fold (or from the training
    split), where ``LogisticRegression`` cannot be fitted.
    """

    def __init__(self, C=1.0, tol=1e-6, max_iter=1000):
        self.C = C
        self.tol = tol
        self.max_iter = max_iter

    def fit(self, X, y):
        y = np.asarray(y).astype(int)
        self.classes_ = np.array([0, 1])
        if y.min() == y.max():
            self.model_, self.constant_ = None, float(y[0])
        else:
            self.model_ = LogisticRegression(
                C=self.C, tol=self.tol, max_iter=self.max_iter
            ).fit(X, y)
        return self

    def positive_proba(self, X):
        if self.model_ is None:
            return np.full(X.shape[0], self.constant_)
        return self.model_.predict_proba(X)[:, 1]

    def predict_proba(self, X):
        p = self.positive_proba(X)
        return np.column_stack([1 - p, p])

    def predict(self, X):
        return (self.positive_proba(X) > 0.5).astype(int)


class ThresholdedOneVsRest(ClassifierMixin, BaseEstimator):
    """One logistic regression per label; label k predicted when p_k > threshold."""

    def __init__(self, C=1.0, threshold=0.5, tol=1e-6, max_iter=1000):
        self.C = C
        self.threshold = threshold
        self.tol = tol
        self.max_iter = max_iter

    def fit(self, X, Y):
        Y = np.asarray(Y)
        self.classes_ = np.arange(Y.shape[1])
        self.estimators_ = [
            LogisticOrConstant(C=self.C, tol=self.tol, max_iter=self.max_iter).fit(
                X, Y[:, k]
            )
            for k in range(Y.shape[1])
        ]
        return self

    def predict_proba(self, X):
        return np.column_stack([e.positive_proba(X) for e in self.estimators_])

    def predict(self, X):
        return (self.predict_proba(X) > self.threshold).astype(np.uint8)


def chain(C=1.0):
    base = LogisticOrConstant(C=C, **SOLVER)
    try:
        return ClassifierChain(estimator=base)
    except TypeError:  # scikit-learn < 1.7
        return ClassifierChain(base_estimator=base)


def chain_c_parameter():
    """Grid name of the chain's C: ``base_estimator`` before scikit-learn 1.7."""
    return (
        "estimator__C" if "estimator" in chain().get_params() else "base_estimator__C"
    )
