"""Targets: from ``y`` and sample weights to what the objective fits.

A leaf module (of this package it imports only the warning helper), used
by every fit path: in memory, along a regularization path and on dask
blocks. The same four steps run everywhere:

1. ``summarize(y_b, sw_b)`` on each block of rows (in memory: one block),
2. ``combine(summaries)`` and ``fit(summary)``: the fitted target state
   (``classes_``, class weights, the null outcome, ...), once,
3. ``encode(y_b, sw_b, dtype)`` on each block: targets ``Q_b`` (class indices
   or distributions) and the sample weights that the objective uses,
4. ``check_total_weight(total)``: something positive is left to fit.

So the in-memory and the distributed fit cannot disagree on what a target is.
"""

import numbers
import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.utils import check_array, check_consistent_length
from sklearn.utils.multiclass import check_classification_targets

from ._warnings import user_stacklevel

__all__ = [
    "ClassTargets",
    "LabelSetTargets",
    "check_classes",
    "check_sample_weight",
    "class_indices",
    "n_class_outputs",
    "target_sums",
]


def target_sums(Q, sample_weight, n_classes):
    """Weighted sums ``sample_weight @ Q`` of encoded targets (distributions, or
    class indices as ``encode`` gives them): shape ``(n_classes,)``."""
    if Q.ndim == 1:
        return np.bincount(Q, weights=sample_weight, minlength=n_classes)
    return np.asarray(sample_weight @ Q, dtype=np.float64)


def check_sample_weight(sample_weight, n_samples, *, positive_sum=True):
    """Sample weights as float64: ones for None, a scalar for every sample.

    Finite and non-negative; ``positive_sum=False`` for one block of a
    distributed fit, where only the total over all blocks must be positive.
    """
    if sample_weight is None:
        return np.ones(n_samples)
    if isinstance(sample_weight, numbers.Number) or (
        isinstance(sample_weight, np.ndarray) and sample_weight.ndim == 0
    ):
        sample_weight = np.full(n_samples, sample_weight, dtype=np.float64)
    sample_weight = check_array(
        sample_weight, ensure_2d=False, dtype=np.float64, input_name="sample_weight"
    )
    if sample_weight.ndim != 1:
        raise ValueError(
            f"sample_weight must be 1-D, got an array of shape {sample_weight.shape}."
        )
    check_consistent_length(np.empty(n_samples), sample_weight)
    if np.any(sample_weight < 0):
        raise ValueError("sample_weight must be non-negative.")
    if positive_sum and not np.sum(sample_weight) > 0:
        raise ValueError("sample_weight must have a positive sum; got all zeros.")
    return sample_weight


def n_class_outputs(n_classes):
    """Logit columns fitted for ``n_classes``: one for the symmetric binary model."""
    return 1 if n_classes == 2 else n_classes


def check_classes(classes):
    """``classes`` given up front: sorted, unique, at least two."""
    classes = np.unique(np.asarray(classes))
    if len(classes) < 2:
        raise ValueError(
            "This solver needs samples of at least 2 classes in the data, but the "
            f"data contains only one class: {classes[0]!r}."
        )
    return classes


def class_indices(y, classes):
    """Index of each label of ``y`` in the sorted ``classes``; unknown ones raise."""
    y_encoded = np.searchsorted(classes, y)
    unknown = (y_encoded >= len(classes)) | (
        classes[np.minimum(y_encoded, len(classes) - 1)] != y
    )
    if np.any(unknown):
        examples = np.unique(np.asarray(y)[unknown])[:5]
        raise ValueError(f"y contains labels not in classes: {examples}.")
    return y_encoded


def _check_class_weight_dict(class_weight, classes):
    """Weights of a ``{label: weight}`` dict, one per class (1 where absent).

    The rules of scikit-learn's ``compute_class_weight``: a label that is not
    a class is an error unless every class has a weight. Weights are
    validated as sample weights are: real, finite, non-negative.
    """
    weights = np.ones(len(classes))
    for label, weight in class_weight.items():
        if (
            isinstance(weight, (bool, np.bool_))
            or not isinstance(weight, numbers.Real)
            or not np.isfinite(weight)
            or weight < 0
        ):
            raise ValueError(
                "class_weight values must be finite non-negative numbers, like "
                f"sample weights; got {weight!r} for class {label!r}."
            )
    unweighted = []
    for i, label in enumerate(classes):
        if label in class_weight:
            weights[i] = class_weight[label]
        else:
            unweighted.append(label)
    if unweighted and len(classes) - len(unweighted) != len(class_weight):
        unknown = [label for label in class_weight if label not in set(classes)]
        raise ValueError(
            f"class_weight has labels that are not classes: {unknown[:5]} "
            f"(classes: {list(classes)[:10]})."
        )
    return weights


class ClassTargets:
    """One label per sample: class indices, class-weighted sample weights.

    Parameters
    ----------
    class_weight : dict, "balanced" or None
        ``"balanced"`` gives class ``k`` the weight ``s_sum / (K * s_k)``,
        with ``s_k`` the total sample weight of the class (the sample count
        without weights), as ``LogisticRegression`` with scikit-learn >= 1.7.
    classes : array-like or None
        All classes, when known up front; else the labels of ``y``.
    """

    def __init__(self, class_weight=None, classes=None):
        self.class_weight = class_weight
        self.classes = classes

    @property
    def needs_summary(self):
        """Whether :meth:`fit` needs a pass over ``y`` (else ``fit(None)``)."""
        return self.classes is None or self.class_weight == "balanced"

    def summarize(self, y, sample_weight):
        """Labels of a block and their total sample weights."""
        check_classification_targets(y)
        labels, inverse = np.unique(y, return_inverse=True)
        totals = np.bincount(inverse.ravel(), sample_weight, minlength=len(labels))
        return labels, totals

    @staticmethod
    def combine(summaries):
        labels = np.unique(np.concatenate([s[0] for s in summaries]))
        totals = np.zeros(len(labels))
        for block_labels, block_totals in summaries:
            totals[np.searchsorted(labels, block_labels)] += block_totals
        return labels, totals

    def fit(self, summary):
        """Set ``classes_`` and the weight of each class."""
        if self.classes is None:
            self.classes_ = check_classes(summary[0])
        else:
            self.classes_ = check_classes(self.classes)
            if summary is not None:
                class_indices(summary[0], self.classes_)  # unknown labels raise
        self.class_weights_ = None
        if isinstance(self.class_weight, str):  # "balanced"
            totals = np.zeros(len(self.classes_))
            totals[np.searchsorted(self.classes_, summary[0])] = summary[1]
            if not np.all(totals > 0):
                raise ValueError(
                    "class_weight='balanced' needs a positive total sample weight "
                    "in every class; these classes have none in y: "
                    f"{self.classes_[~(totals > 0)][:5]}."
                )
            self.class_weights_ = totals.sum() / (len(self.classes_) * totals)
        elif self.class_weight is not None:
            self.class_weights_ = _check_class_weight_dict(
                self.class_weight, self.classes_
            )
        return self

    @property
    def n_outputs(self):
        return n_class_outputs(len(self.classes_))

    def state(self):
        """Fitted attributes of the estimator."""
        return {"classes_": self.classes_}

    def encode(self, y, sample_weight, dtype):
        """Class indices (the one-hot targets) and class-weighted sample weights."""
        Q = class_indices(np.asarray(y).ravel(), self.classes_)
        if self.class_weights_ is not None:
            sample_weight = sample_weight * self.class_weights_[Q]
        return Q, sample_weight

    @staticmethod
    def check_total_weight(total):
        if not total > 0:
            raise ValueError(
                "class_weight and sample_weight leave no positive weight to fit."
            )


def label_set_targets(
    Y, sample_weight, null_outcome, dtype, weighting="sample", label_weights=None
):
    """Target distributions ``y / |y|`` of label sets, and the sample weights.

    With the null outcome, empty rows target an extra last column; without it
    (no distribution over the labels describes an empty set) they get weight 0.
    With ``weighting="label"`` a sample weighs once per label of its set (an
    empty set with the null outcome counts once).

    ``label_weights`` ``w`` (class weights of the labels) weigh the pairs
    (sample, label) of the pick-all-labels reduction: as the loss is linear
    in ``q`` up to a constant, a set ``y`` then has the target
    ``w * y / (w . y)`` and its sample weight is multiplied by the mean of its
    labels' weights, ``(w . y) / |y|`` (their sum with ``"label"``); empty sets
    keep their weight.
    """
    set_size = Y.sum(axis=1)
    empty = set_size == 0
    n_labels = Y.shape[1]
    n_outcomes = np.maximum(set_size, 1)
    weighted = Y if label_weights is None else Y * label_weights
    mass = weighted.sum(axis=1) if label_weights is not None else set_size
    Q = np.zeros((Y.shape[0], n_labels + bool(null_outcome)), dtype=dtype)
    with np.errstate(invalid="ignore", divide="ignore"):
        Q[:, :n_labels] = np.where(
            (mass > 0)[:, None], weighted / np.where(mass > 0, mass, 1)[:, None], 0
        )
    if label_weights is not None:
        sample_weight = np.where(
            empty, sample_weight, sample_weight * mass / n_outcomes
        )
    if null_outcome:
        Q[empty, n_labels] = 1
    elif empty.any():
        sample_weight = np.where(empty, 0.0, sample_weight)
    if weighting == "label":
        sample_weight = sample_weight * n_outcomes
    return Q, sample_weight


def _dense_indicator(Y):
    return Y.toarray() if sp.issparse(Y) else np.asarray(Y)


class LabelSetTargets:
    """Label sets (an indicator matrix): distributions ``y / |y|``.

    Parameters
    ----------
    null_outcome : bool or "auto"
        Whether empty sets get an extra "no label" outcome; "auto": when the
        training ``y`` has an empty row.
    weighting : {"sample", "label"}
        A sample weighs once, or once per label of its set.
    class_weight : dict, "balanced" or None
        Weights of the labels (see :func:`label_set_targets`); "balanced":
        ``w_k = P / (K p_k)``, ``p_k`` the total sample weight of the sets
        that hold label ``k`` and ``P`` the sum of the ``p_k``.
    """

    needs_summary = True

    def __init__(self, null_outcome="auto", weighting="sample", class_weight=None):
        self.null_outcome = null_outcome
        self.weighting = weighting
        self.class_weight = class_weight

    def summarize(self, Y, sample_weight):
        """Rows, positives per label and empty rows of a block; checks 0/1."""
        values = np.unique(Y.data if sp.issparse(Y) else np.asarray(Y))
        if not np.isin(values, [0, 1]).all():
            raise ValueError(
                "A 2-D y must be a label indicator matrix of 0 and 1 (each row a "
                f"label set); got the values {values[:10]}. To encode lists of "
                "labels, use sklearn.preprocessing.MultiLabelBinarizer."
            )
        Y = _dense_indicator(Y)
        return {
            "n_rows": Y.shape[0],
            "positives": Y.sum(axis=0, dtype=np.int64),
            "weighted_positives": np.asarray(sample_weight @ Y, dtype=np.float64),
            "n_empty": int(np.count_nonzero(Y.sum(axis=1) == 0)),
            "dtype": Y.dtype,
        }

    @staticmethod
    def combine(summaries):
        return {
            "n_rows": sum(s["n_rows"] for s in summaries),
            "positives": np.sum([s["positives"] for s in summaries], axis=0),
            "weighted_positives": np.sum(
                [s["weighted_positives"] for s in summaries], axis=0
            ),
            "n_empty": sum(s["n_empty"] for s in summaries),
            "dtype": summaries[0]["dtype"],
        }

    def fit(self, summary):
        """Set the labels and the null outcome; warn about constant labels."""
        positives, n_rows = summary["positives"], summary["n_rows"]
        self.classes_ = np.arange(len(positives))
        self.indicator_dtype_ = summary["dtype"]
        if self.null_outcome == "auto":
            self.null_outcome_ = summary["n_empty"] > 0
        else:
            self.null_outcome_ = bool(self.null_outcome)
        self.class_weights_ = None
        if isinstance(self.class_weight, str):  # "balanced"
            p = summary["weighted_positives"]
            # A label absent from y never weighs anything: weight 1 for it.
            with np.errstate(divide="ignore"):
                self.class_weights_ = np.where(
                    p > 0, p.sum() / (len(p) * np.where(p > 0, p, 1)), 1.0
                )
        elif self.class_weight is not None:
            self.class_weights_ = _check_class_weight_dict(
                self.class_weight, self.classes_
            )
        for what, labels in (
            ("never occur in", np.flatnonzero(positives == 0)),
            ("occur in every sample of", np.flatnonzero(positives == n_rows)),
        ):
            if len(labels):
                warnings.warn(
                    f"Label(s) {labels.tolist()[:10]} {what} the training y: the "
                    "model learns them as a constant.",
                    UserWarning,
                    stacklevel=user_stacklevel(),
                )
        return self

    @property
    def n_outputs(self):
        return len(self.classes_) + self.null_outcome_

    def state(self):
        return {
            "classes_": self.classes_,
            "null_outcome_": self.null_outcome_,
            "_multilabel": True,
            "_indicator_dtype": self.indicator_dtype_,
        }

    def encode(self, Y, sample_weight, dtype):
        return label_set_targets(
            _dense_indicator(Y),
            sample_weight,
            self.null_outcome_,
            dtype,
            self.weighting,
            self.class_weights_,
        )

    @staticmethod
    def check_total_weight(total):
        if not total > 0:
            raise ValueError(
                "Every sample with a positive weight has an empty label set; "
                "use null_outcome=True (or 'auto') to learn from empty sets."
            )
