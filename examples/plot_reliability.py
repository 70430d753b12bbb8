"""
=================================================
Calibration: a reliability diagram before/after
=================================================

A weakly regularized softmax model fitted on few samples with many features
is over-confident: its top-class probabilities are much larger than its
accuracy. Tuning ``temperature`` on
held-out data (here with ``GridSearchCV`` on the log-loss; scikit-learn's
``CalibratedClassifierCV(method="temperature")`` is the other route) fixes
that without changing a single prediction.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_classification
from sklearn.metrics import log_loss
from sklearn.model_selection import GridSearchCV, train_test_split

from sklearn_softmax import SoftmaxRegression

X, y = make_classification(
    n_samples=2400,
    n_features=100,
    n_informative=10,
    n_classes=4,
    n_clusters_per_class=1,
    flip_y=0.05,
    random_state=0,
)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, train_size=400, random_state=0
)
model = SoftmaxRegression(C=10.0, max_iter=2000).fit(X_train, y_train)
raw = model.predict_proba(X_test)

# The temperature is chosen by cross-validation on the training data only.
search = GridSearchCV(
    SoftmaxRegression(C=10.0, max_iter=2000),
    {"temperature": np.geomspace(0.5, 8, 17)},
    scoring="neg_log_loss",
).fit(X_train, y_train)
T = search.best_params_["temperature"]
tuned = model.set_params(temperature=T).predict_proba(X_test)


def reliability(P, y, bins=10):
    """Mean confidence and accuracy of the top class, per confidence bin."""
    confidence = P.max(axis=1)
    correct = P.argmax(axis=1) == y
    edges = np.linspace(1 / P.shape[1], 1, bins + 1)
    index = np.clip(np.digitize(confidence, edges) - 1, 0, bins - 1)
    keep = np.bincount(index, minlength=bins) > 0
    conf = (
        np.bincount(index, confidence, bins)[keep]
        / np.bincount(index, None, bins)[keep]
    )
    acc = np.bincount(index, correct, bins)[keep] / np.bincount(index, None, bins)[keep]
    ece = np.sum(np.abs(conf - acc) * np.bincount(index, None, bins)[keep]) / len(y)
    return conf, acc, ece


# %%
fig, ax = plt.subplots(figsize=(5.5, 5))
ax.plot([0, 1], [0, 1], "k:", label="perfectly calibrated")
for P, label, color in [(raw, "T = 1", "C3"), (tuned, f"T = {T:.2f} (tuned)", "C0")]:
    conf, acc, ece = reliability(P, y_test)
    ax.plot(
        conf,
        acc,
        "o-",
        color=color,
        label=f"{label}: log-loss {log_loss(y_test, P):.3f}, ECE {ece:.3f}",
    )
ax.set_xlabel("confidence (top-class probability)")
ax.set_ylabel("accuracy")
ax.set_xlim(0.25, 1)
ax.set_ylim(0, 1.02)
ax.set_title(f"Same predictions (accuracy {np.mean(raw.argmax(1) == y_test):.3f})")
ax.legend(loc="lower right", fontsize=8)
fig.tight_layout()
plt.show()
