"""
=====================================================
The cross-validated score over C and temperature
=====================================================

``SoftmaxRegressionCV`` fits one warm-started path over ``Cs`` per fold and
scores every temperature on the same fold models, so the whole
``C x temperature`` surface costs one path per fold. ``cv_results_`` has
``GridSearchCV``'s format: here it is read into a table and plotted.
"""

# %%
# Fit the search
# --------------
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.datasets import load_digits
from sklearn.preprocessing import StandardScaler

from sklearn_softmax import SoftmaxRegressionCV

X, y = load_digits(return_X_y=True)
X = StandardScaler().fit_transform(X)
clf = SoftmaxRegressionCV(
    Cs=np.logspace(-3, 2, 8),
    temperatures=[0.25, 0.5, 1, 2, 4],
    scoring="neg_log_loss",
    max_iter=300,
).fit(X, y)
print(
    f"chosen C={clf.C_:.3g}, temperature={clf.temperature_:g}, "
    f"CV log-loss {-clf.best_score_:.4f}"
)
print(f"L-BFGS iterations, all folds and Cs: {clf.n_iter_.sum()}")

# %%
# The surface from ``cv_results_``
# --------------------------------
results = pd.DataFrame(clf.cv_results_)
surface = results.pivot_table(
    index="param_temperature", columns="param_C", values="mean_test_score"
)
fig, ax = plt.subplots(figsize=(6, 3.5))
image = ax.pcolormesh(
    np.arange(surface.shape[1] + 1),
    np.arange(surface.shape[0] + 1),
    -surface.values,
    cmap="viridis_r",
)
ax.set_xticks(np.arange(surface.shape[1]) + 0.5, [f"{c:.2g}" for c in surface.columns])
ax.set_yticks(np.arange(surface.shape[0]) + 0.5, [f"{t:g}" for t in surface.index])
ax.set_xlabel("C")
ax.set_ylabel("temperature")
fig.colorbar(image, label="CV log-loss")
ax.set_title("Each column is one fit per fold; each cell, one scoring")
fig.tight_layout()
plt.show()
