"""Synthetic data of the benchmarks: a stand-in for MULAN text datasets.

Sparse binary features whose frequencies follow a long tail (a few common
words, many rare ones), about 50 labels, label sets of 1 to 5 labels, scaled
without centering as the paper protocol does (``StandardScaler(
with_mean=False)``): what medical or enron look like, which this machine
cannot download.
"""

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import StandardScaler


def sparse_multilabel_problem(
    n_samples=1100,
    n_features=1000,
    n_labels=50,
    *,
    words_per_sample=30,
    tail=1.5,
    seed=0,
):
    """``(X, Y)``: CSR float64 X (scaled, not centered), int indicator Y."""
    rng = np.random.default_rng(seed)
    # Zipf feature frequencies: feature j drawn with probability ~ (j+1)^-tail,
    # so that many features occur in a handful of samples (large values once
    # scaled without centering).
    p = (np.arange(n_features) + 1.0) ** -tail
    p /= p.sum()
    rows, cols = [], []
    for i in range(n_samples):
        words = np.unique(rng.choice(n_features, size=words_per_sample, p=p))
        rows.append(np.full(len(words), i))
        cols.append(words)
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    X = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_samples, n_features))
    # Labels: a sparse linear model of the words; each sample keeps its 1-5
    # best-scoring labels (label frequencies then have a long tail too).
    W = rng.standard_normal((n_features, n_labels)) * (
        rng.random((n_features, n_labels)) < 0.05
    )
    scores = (
        X @ W * 2
        + rng.gumbel(size=(n_samples, n_labels))
        + np.linspace(2, -2, n_labels)
    )
    sizes = rng.choice([1, 2, 3, 4, 5], p=[0.35, 0.3, 0.2, 0.1, 0.05], size=n_samples)
    order = np.argsort(-scores, axis=1)
    Y = np.zeros((n_samples, n_labels), dtype=int)
    for i, k in enumerate(sizes):
        Y[i, order[i, :k]] = 1
    X = StandardScaler(with_mean=False).fit_transform(X)
    return X.tocsr(), Y
