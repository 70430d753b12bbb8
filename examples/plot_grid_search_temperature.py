"""
=============================================
Tuning the temperature with GridSearchCV
=============================================

``temperature`` is an ordinary hyperparameter: grid-search it inside a
pipeline like ``C``. For softmax, score with the log-loss (it is a
calibration parameter); for multilabel sparsemax, score the predicted label
sets, e.g. with micro-F1 (it sets the size of the sets).
"""

# %%
# Softmax: log-loss against temperature
# -------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits, make_multilabel_classification
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_softmax import MultilabelSparsemaxRegression, SoftmaxRegression

X, y = load_digits(return_X_y=True)
temperatures = np.geomspace(0.25, 4, 9)
search = GridSearchCV(
    make_pipeline(StandardScaler(), SoftmaxRegression(C=10.0, max_iter=500)),
    {"softmaxregression__temperature": temperatures},
    scoring="neg_log_loss",
    cv=5,
).fit(X, y)
best_T = search.best_params_["softmaxregression__temperature"]

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
mean = -search.cv_results_["mean_test_score"]
std = search.cv_results_["std_test_score"]
ax1.semilogx(temperatures, mean, "o-")
ax1.fill_between(temperatures, mean - std, mean + std, alpha=0.2)
ax1.axvline(best_T, color="k", ls=":", label=f"best T = {best_T:.2f}")
ax1.set_xlabel("temperature")
ax1.set_ylabel("cross-validated log-loss")
ax1.set_title("SoftmaxRegression(C=10) on digits")
ax1.legend()

# %%
# Multilabel sparsemax: micro-F1 against temperature
# ---------------------------------------------------
# The predicted set is the support of ``sparsemax(z / T)``: low temperatures
# predict one label, high ones many.
X, Y = make_multilabel_classification(
    n_samples=600, n_features=20, n_classes=8, n_labels=3, random_state=0
)
temperatures = np.geomspace(0.1, 3, 10)
search = GridSearchCV(
    make_pipeline(StandardScaler(), MultilabelSparsemaxRegression(C=0.1)),
    {"multilabelsparsemaxregression__temperature": temperatures},
    scoring="f1_micro",
    cv=5,
).fit(X, Y)
mean = search.cv_results_["mean_test_score"]
std = search.cv_results_["std_test_score"]
ax2.semilogx(temperatures, mean, "o-", color="C1")
ax2.fill_between(temperatures, mean - std, mean + std, color="C1", alpha=0.2)
best_T = search.best_params_["multilabelsparsemaxregression__temperature"]
ax2.axvline(best_T, color="k", ls=":", label=f"best T = {best_T:.2f}")
ax2.set_xlabel("temperature")
ax2.set_ylabel("cross-validated micro-F1")
ax2.set_title("MultilabelSparsemaxRegression(C=0.1)")
ax2.legend()
fig.tight_layout()
plt.show()
