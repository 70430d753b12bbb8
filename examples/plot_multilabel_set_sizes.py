"""
==================================================
Multilabel: predicted against true label-set sizes
==================================================

On a MULAN dataset (``yeast``, read with
:func:`sklearn_softmax.datasets.load_mulan` from ``../shared/data/multilabel``
when that directory exists, synthetic data otherwise), compare the sizes of
the predicted label sets of sparsemax (the support), softmax (a threshold)
and one-vs-rest logistic regression with the true sizes.
"""

# %%
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_multilabel_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import StandardScaler

from sklearn_softmax import MultilabelSoftmaxRegression, MultilabelSparsemaxRegression

candidates = [
    Path(p) / "shared" / "data" / "multilabel" / "yeast" for p in (".", "..", "../..")
]
found = [p for p in candidates if (p / "yeast.xml").is_file()]
if found:
    from sklearn_softmax.datasets import load_mulan

    data = load_mulan(found[0])
    X_train, Y_train = data.train.X, data.train.Y
    X_test, Y_test = data.test.X, data.test.Y
    title = "yeast (MULAN split)"
else:
    X, Y = make_multilabel_classification(
        n_samples=2000, n_features=50, n_classes=14, n_labels=4, random_state=0
    )
    X_train, X_test, Y_train, Y_test = train_test_split(X, Y, random_state=0)
    title = "synthetic (yeast not found)"

scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
n_labels = Y_train.shape[1]

models = {
    "sparsemax (support, T=0.5)": MultilabelSparsemaxRegression(
        C=0.01, temperature=0.5
    ),
    "softmax (p > 1/K)": MultilabelSoftmaxRegression(C=0.01),
    "one-vs-rest logistic (p > 0.3)": OneVsRestClassifier(LogisticRegression(C=0.1)),
}
sizes, scores = {}, {}
for name, model in models.items():
    model.fit(X_train, Y_train)
    if name.startswith("one-vs-rest"):
        Y_pred = (model.predict_proba(X_test) > 0.3).astype(int)
    else:
        Y_pred = model.predict(X_test)
    sizes[name] = Y_pred.sum(axis=1)
    scores[name] = f1_score(Y_test, Y_pred, average="micro")

# %%
true_sizes = Y_test.sum(axis=1)
bins = np.arange(0, n_labels + 2) - 0.5
fig, axes = plt.subplots(1, 3, figsize=(13, 4), sharey=True)
for ax, (name, predicted) in zip(axes, sizes.items(), strict=True):
    H, _, _ = np.histogram2d(true_sizes, predicted, bins=[bins, bins])
    ax.imshow(
        H.T, origin="lower", cmap="Blues", extent=(bins[0], bins[-1], bins[0], bins[-1])
    )
    ax.plot([0, n_labels], [0, n_labels], "k:", lw=1)
    ax.set_title(f"{name}\nmicro-F1 {scores[name]:.3f}", fontsize=10)
    ax.set_xlabel("true set size")
    ax.set_xlim(-0.5, 11.5)
    ax.set_ylim(-0.5, 11.5)
axes[0].set_ylabel("predicted set size")
fig.suptitle(f"{title}: {len(true_sizes)} test samples, {n_labels} labels")
fig.tight_layout()
plt.show()
