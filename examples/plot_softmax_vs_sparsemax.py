"""
==================================================
Softmax and sparsemax on a three-class problem
==================================================

Both estimators fit the same linear logits model on a 2-D, three-class
problem; they differ in how logits become probabilities. Softmax gives every
class some probability everywhere; sparsemax gives exact zeros, so the plane
splits into regions where one, two or all three classes are possible.
"""

# %%
# Data and models
# ---------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_blobs

from sklearn_softmax import SoftmaxRegression, SparsemaxRegression

X, y = make_blobs(n_samples=300, centers=3, cluster_std=1.6, random_state=3)
models = {
    "softmax": SoftmaxRegression(C=1.0).fit(X, y),
    "sparsemax": SparsemaxRegression(C=1.0).fit(X, y),
}

# %%
# Probabilities as colours, support size as shading
# -------------------------------------------------
# Each pixel's colour mixes red, green and blue in proportion to the three
# class probabilities. For sparsemax, white lines separate the regions where
# a single class has all the probability (pure colours) from the bands where
# two classes share it (blends); softmax blends everywhere.
xx, yy = np.meshgrid(
    np.linspace(X[:, 0].min() - 1, X[:, 0].max() + 1, 300),
    np.linspace(X[:, 1].min() - 1, X[:, 1].max() + 1, 300),
)
grid = np.c_[xx.ravel(), yy.ravel()]

fig, axes = plt.subplots(1, 2, figsize=(11, 4.8), sharey=True)
for ax, (name, model) in zip(axes, models.items(), strict=True):
    P = model.predict_proba(grid)
    ax.imshow(
        P.reshape(*xx.shape, 3),
        origin="lower",
        extent=(xx.min(), xx.max(), yy.min(), yy.max()),
        aspect="auto",
    )
    support = (P > 0).sum(axis=1).reshape(xx.shape)
    if name == "sparsemax":
        ax.contour(xx, yy, support, levels=[1.5, 2.5], colors="white", linewidths=1.5)
    ax.scatter(X[:, 0], X[:, 1], c=np.eye(3)[y], edgecolor="k", s=18)
    ax.set_title(
        f"{name}: accuracy {model.score(X, y):.2f}, "
        f"mean support {(model.predict_proba(X) > 0).sum(axis=1).mean():.2f}"
    )
    ax.set_xlabel("x1")
axes[0].set_ylabel("x2")
fig.tight_layout()

# %%
# The same points on the probability simplex
# ------------------------------------------
# Each training point's predicted distribution, drawn in barycentric
# coordinates. Softmax points never reach the edges; sparsemax points sit on
# edges (two classes possible) and corners (one class).
corners = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])
fig, axes = plt.subplots(1, 2, figsize=(10, 4.6))
for ax, (name, model) in zip(axes, models.items(), strict=True):
    xy = model.predict_proba(X) @ corners
    ax.fill(*corners.T, facecolor="none", edgecolor="k")
    ax.scatter(xy[:, 0], xy[:, 1], c=np.eye(3)[y], edgecolor="k", s=18, alpha=0.8)
    ax.set_title(name)
    ax.set_aspect("equal")
    ax.axis("off")
fig.tight_layout()
plt.show()
