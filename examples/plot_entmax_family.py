"""
===================================================
The entmax family: from softmax to sparsemax
===================================================

alpha-entmax interpolates between softmax (``alpha = 1``, every class has a
positive probability) and sparsemax (``alpha = 2``, a piecewise-linear
projection with many exact zeros). ``alpha`` is a property of the loss: it
is fixed when the model is fitted. ``temperature`` divides the logits at
prediction time, and for every ``alpha > 1`` it sets how many classes keep a
nonzero probability.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_softmax import EntmaxRegression
from sklearn_softmax.functional import entmax

# %%
# The mapping on fixed logits
# ---------------------------
# The same ten logits through entmax at five values of alpha.
z = np.array([2.1, 1.7, 1.5, 0.9, 0.4, 0.2, -0.3, -0.8, -1.4, -2.0])
alphas = [1.0, 1.25, 1.5, 2.0, 3.0]
fig, axes = plt.subplots(1, len(alphas), figsize=(13, 2.8), sharey=True)
for ax, alpha in zip(axes, alphas, strict=True):
    p = entmax(z, alpha)
    ax.bar(range(len(z)), p, color=["C0" if v > 0 else "C3" for v in p])
    ax.set_title(f"alpha = {alpha:g}: {np.count_nonzero(p)} nonzero")
    ax.set_xticks([])
axes[0].set_ylabel("probability")
fig.tight_layout()

# %%
# Support size against alpha and temperature
# ------------------------------------------
# For the same logits: the number of nonzero probabilities over a grid of
# alpha and T. Lower temperatures and larger alpha give smaller supports;
# at alpha = 1 (softmax) the support is always every class.
alpha_grid = np.linspace(1.0, 3.0, 41)
temperatures = [0.25, 0.5, 1.0, 2.0, 4.0]
fig, ax = plt.subplots(figsize=(6, 3.5))
for T in temperatures:
    sizes = [np.count_nonzero(entmax(z, a, temperature=T)) for a in alpha_grid]
    ax.plot(alpha_grid, sizes, label=f"T = {T:g}")
ax.set_xlabel("alpha")
ax.set_ylabel("support size")
ax.legend()
fig.tight_layout()

# %%
# Fitted models: digits
# ---------------------
# One model per alpha (the coefficients change with alpha); the temperature is
# varied on each without refitting. Accuracy barely moves with alpha; the
# mean support size on the test set follows the same pattern as above.
X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
T_grid = np.geomspace(0.1, 10, 25)
fig, ax = plt.subplots(figsize=(6, 3.5))
for alpha in [1.25, 1.5, 2.0]:
    model = make_pipeline(StandardScaler(), EntmaxRegression(alpha=alpha, max_iter=500))
    model.fit(X_train, y_train)
    accuracy = model.score(X_test, y_test)
    support = []
    for T in T_grid:
        model[-1].set_params(temperature=T)
        support.append(np.count_nonzero(model.predict_proba(X_test), axis=1).mean())
    ax.plot(T_grid, support, label=f"alpha = {alpha:g} (accuracy {accuracy:.3f})")
ax.set_xscale("log")
ax.set_xlabel("temperature")
ax.set_ylabel("mean support size (test set)")
ax.legend()
fig.tight_layout()
plt.show()
