"""Data of the multilabel benchmark: MULAN datasets found and loaded,
preprocessed, and derived with empty label sets."""

import numpy as np
import scipy.sparse as sp
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.utils import Bunch

from sklearn_softmax.datasets import load_mulan


def preprocess(data):
    """Training-mean imputation (if any value is missing) and standardization.

    Sparse features are scaled, not centered, so that they stay sparse.
    """
    X_train, X_test = data.train.X, data.test.X
    if sp.issparse(X_train):
        has_nan = np.isnan(X_train.data).any() or np.isnan(X_test.data).any()
    else:
        has_nan = np.isnan(X_train).any() or np.isnan(X_test).any()
    if has_nan:
        imputer = SimpleImputer().fit(X_train)
        X_train, X_test = imputer.transform(X_train), imputer.transform(X_test)
    scaler = StandardScaler(with_mean=not sp.issparse(X_train)).fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test)


def without_top_labels(data, min_empty=0.05):
    """The dataset without its most frequent training labels, or None.

    Labels are removed in order of training frequency until at least
    ``min_empty`` of the training rows have an empty set (at most half of the
    labels; None if that is not enough).
    """
    Y = data.train.Y
    order = np.argsort(-Y.sum(axis=0), kind="stable")
    for n_removed in range(1, Y.shape[1] // 2 + 1):
        keep = np.setdiff1d(np.arange(Y.shape[1]), order[:n_removed])
        if np.mean(Y[:, keep].sum(axis=1) == 0) >= min_empty:
            break
    else:
        return None
    removed = [str(data.label_names[k]) for k in order[:n_removed]]
    derived = clone_bunch(data)
    derived.name = f"{data.name} − {' − '.join(removed)}"
    for split in ("train", "test"):
        derived[split].Y = data[split].Y[:, keep]
    return derived


def clone_bunch(data):
    return Bunch(
        name=data.name,
        train=Bunch(X=data.train.X, Y=data.train.Y),
        test=Bunch(X=data.test.X, Y=data.test.Y),
        label_names=data.label_names,
    )


def find_datasets(data_dir):
    """``{name: xml path}`` of the MULAN datasets in ``data_dir`` and its folders."""
    found = {}
    for xml in sorted([*data_dir.glob("*.xml"), *data_dir.glob("*/*.xml")]):
        found.setdefault(xml.stem, xml)
    return found


def load(xml_path):
    """A MULAN dataset with ``train`` and ``test``; one ARFF file is split 2:1."""
    data = load_mulan(xml_path)
    if "all" in data:
        X_train, X_test, Y_train, Y_test = train_test_split(
            data.all.X, data.all.Y, test_size=1 / 3, random_state=0
        )
        data.train, data.test = Bunch(X=X_train, Y=Y_train), Bunch(X=X_test, Y=Y_test)
        data.name = f"{data.name} (random split)"
    return data
