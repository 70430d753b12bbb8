"""Sphinx configuration: numpydoc + autosummary API, sphinx-gallery examples."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sklearn_softmax  # noqa: E402

project = "sklearn-softmax"
copyright = "2026, sklearn-softmax developers"
version = release = sklearn_softmax.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",  # MathJax bundled: the math renders without network
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py", "**/*.zip"]
templates_path = ["_templates"]

autosummary_generate = True
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

intersphinx_mapping = {}
if os.environ.get("SPHINX_INTERSPHINX"):  # off by default: the build has no network
    intersphinx_mapping = {
        "python": ("https://docs.python.org/3", None),
        "numpy": ("https://numpy.org/doc/stable", None),
        "sklearn": ("https://scikit-learn.org/stable", None),
    }

sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "backreferences_dir": "generated/backreferences",
    "doc_module": ("sklearn_softmax",),
    "download_all_examples": False,
    "remove_config_comments": True,
    "abort_on_example_error": True,
    "plot_gallery": "True",
    "matplotlib_animations": False,
}

html_theme = "pydata_sphinx_theme"
html_title = "sklearn-softmax"
html_theme_options = {"navigation_with_keys": False}
myst_enable_extensions = ["dollarmath"]
myst_heading_anchors = 3
