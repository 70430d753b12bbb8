"""
=====================================
Temperature: sharpness and sparsity
=====================================

``temperature`` divides the logits at prediction time. The coefficients stay
the same (no refit): for softmax it makes the distribution flatter or sharper,
for sparsemax it sets how many classes keep a nonzero probability.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_softmax import SoftmaxRegression, SparsemaxRegression

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
softmax = make_pipeline(StandardScaler(), SoftmaxRegression(max_iter=500))
sparsemax = make_pipeline(StandardScaler(), SparsemaxRegression(max_iter=500))
softmax.fit(X_train, y_train)
sparsemax.fit(X_train, y_train)

# %%
# One test digit, three temperatures
# ----------------------------------
temperatures = [0.25, 1.0, 4.0]
sample = X_test[[3]]
fig, axes = plt.subplots(2, 3, figsize=(11, 5), sharex=True, sharey=True)
for row, (name, model) in enumerate([("softmax", softmax), ("sparsemax", sparsemax)]):
    for col, T in enumerate(temperatures):
        model[-1].set_params(temperature=T)
        axes[row, col].bar(range(10), model.predict_proba(sample)[0], color=f"C{row}")
        axes[row, col].set_title(f"{name}, T = {T:g}")
for ax in axes[1]:
    ax.set_xlabel("digit")
    ax.set_xticks(range(10))
fig.suptitle(f"Predicted distribution for a test digit (true label {y_test[3]})")
fig.tight_layout()

# %%
# Over the whole test set
# -----------------------
# Mean support size (sparsemax) and mean probability of the true class (both),
# as the temperature varies; accuracy does not move.
grid = np.geomspace(0.05, 20, 40)
support, p_true = {"softmax": [], "sparsemax": []}, {"softmax": [], "sparsemax": []}
for name, model in [("softmax", softmax), ("sparsemax", sparsemax)]:
    for T in grid:
        model[-1].set_params(temperature=T)
        P = model.predict_proba(X_test)
        support[name].append((P > 0).sum(axis=1).mean())
        p_true[name].append(P[np.arange(len(y_test)), y_test].mean())

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
ax1.semilogx(grid, support["sparsemax"], color="C1", label="sparsemax")
ax1.axhline(10, color="C0", ls="--", label="softmax (always 10)")
ax1.set_xlabel("temperature")
ax1.set_ylabel("mean number of classes with p > 0")
ax1.legend()
for name, color in [("softmax", "C0"), ("sparsemax", "C1")]:
    ax2.semilogx(grid, p_true[name], color=color, label=name)
ax2.set_xlabel("temperature")
ax2.set_ylabel("mean probability of the true class")
ax2.legend()
fig.tight_layout()
plt.show()
