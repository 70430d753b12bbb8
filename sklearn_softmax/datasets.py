"""Loader for multilabel datasets in the MULAN format (ARFF + XML).

A MULAN dataset is an ARFF file (or a train and a test file) whose label
attributes are named in an XML file. The ARFF files are read with liac-arff
(``pip install "sklearn-softmax[datasets]"``).
"""

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.utils import Bunch

__all__ = ["load_mulan"]


def _import_arff():
    try:
        import arff
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "load_mulan needs the ARFF parser liac-arff: "
            'pip install "sklearn-softmax[datasets]" (or liac-arff).'
        ) from exc
    return arff


def _unescape(name):
    # liac-arff keeps the backslash of an escaped quote inside a quoted name.
    return re.sub(r"\\(['\"\\%])", r"\1", name)


def _read_label_names(xml_path):
    """Names of the ``<label>`` elements, at any depth (hierarchies included)."""
    try:
        root = ET.parse(xml_path).getroot()
    except ET.ParseError as error:
        raise ValueError(
            f"{xml_path} is not a well-formed MULAN label file: {error}."
        ) from error
    names = [
        el.attrib["name"]
        for el in root.iter()
        if el.tag.rsplit("}", 1)[-1] == "label" and "name" in el.attrib
    ]
    if not names:
        raise ValueError(f"{xml_path} names no <label> element.")
    return names


def _check_name(name):
    """A dataset name is a name: no path separator, no ``..``."""
    if name is not None and (
        not isinstance(name, str)
        or not name
        or "/" in name
        or "\\" in name
        or os.sep in name
        or name in (".", "..")
    ):
        raise ValueError(
            f"name must be a dataset name (the stem of its .xml file), not a path; "
            f"got {name!r}. Pass the dataset's directory as path_or_dir."
        )


def _find_files(path_or_dir, name):
    path = Path(path_or_dir)
    if path.is_file():
        if path.suffix != ".xml":
            raise ValueError(f"Expected a directory or a MULAN .xml file, got {path}.")
        xml_path, directory, name = path, path.parent, path.stem
    elif path.is_dir():
        directory = path
        if name is None:
            xmls = sorted(directory.glob("*.xml"))
            if len(xmls) != 1:
                raise ValueError(
                    f"{directory} holds {len(xmls)} .xml files "
                    f"({', '.join(x.name for x in xmls) or 'none'}); pass name=."
                )
            name = xmls[0].stem
        xml_path = directory / f"{name}.xml"
        if not xml_path.is_file():
            raise FileNotFoundError(f"No label file {xml_path}.")
    else:
        raise FileNotFoundError(f"No such file or directory: {path}.")

    splits = {}
    for split in ("train", "test"):
        candidates = [directory / f"{name}{sep}{split}.arff" for sep in ("-", "_")]
        found = [c for c in candidates if c.is_file()]
        if found:
            splits[split] = found[0]
    if not splits:
        single = directory / f"{name}.arff"
        if not single.is_file():
            raise FileNotFoundError(
                f"No {name}-train.arff / {name}-test.arff or {name}.arff "
                f"in {directory}."
            )
        splits["all"] = single
    return name, xml_path, splits


def _data_lines(path):
    """The data rows of an ARFF file: (line number, stripped line), comments
    skipped."""
    in_data = False
    with open(path, encoding="utf-8", errors="replace") as f:
        for line_number, line in enumerate(f, start=1):
            stripped = line.strip()
            if not stripped or stripped.startswith("%"):
                continue
            if in_data:
                yield line_number, stripped
            elif stripped.lower().startswith("@data"):
                in_data = True


def _is_sparse_arff(path):
    """Whether the first data row of an ARFF file is in sparse ``{...}`` form."""
    return next(_data_lines(path), (0, ""))[1].startswith("{")


def _read_arff(path):
    """Attributes and per-attribute (rows, values) of an ARFF file."""
    arff = _import_arff()
    sparse = _is_sparse_arff(path)
    with open(path, encoding="utf-8") as f:
        try:
            content = arff.load(f, return_type=arff.COO if sparse else arff.DENSE)
        except arff.ArffException as error:  # it names the line, not the file
            raise ValueError(f"{path}: {error}") from error
    attributes = [(_unescape(n), t) for n, t in content["attributes"]]
    n_attributes = len(attributes)
    if sparse:
        values, rows, cols = content["data"]
        rows = np.asarray(rows, dtype=np.intp)
        cols = np.asarray(cols, dtype=np.intp)
        values = np.asarray(values, dtype=object)
        n_samples = int(rows.max()) + 1 if len(rows) else 0
        # Rows at the end with no stored value are not seen in COO form.
        n_samples = max(n_samples, sum(1 for _ in _data_lines(path)))
    else:
        data = np.asarray(content["data"], dtype=object).reshape(-1, n_attributes)
        n_samples = data.shape[0]
        rows = np.repeat(np.arange(n_samples), n_attributes)
        cols = np.tile(np.arange(n_attributes), n_samples)
        values = data.ravel()
    order = np.argsort(cols, kind="stable")
    bounds = np.searchsorted(cols[order], np.arange(n_attributes + 1))
    columns = [
        (
            rows[order[bounds[j] : bounds[j + 1]]],
            values[order[bounds[j] : bounds[j + 1]]],
        )
        for j in range(n_attributes)
    ]
    return attributes, columns, n_samples, sparse


def _nominal_codes(categories, rows, values, n_samples):
    """Category index of every sample (omitted sparse entries are category 0)."""
    index = {c: i for i, c in enumerate(categories)}
    codes = np.zeros(n_samples)
    codes[rows] = [np.nan if v is None else index[v] for v in values]
    return codes


def _feature_entries(kind, rows, values, n_samples):
    """Yield ``(suffix, rows, values)`` for each output column of one attribute.

    Only stored entries are yielded where that keeps sparse data sparse.
    """
    if not isinstance(kind, list):  # numeric
        yield "", rows, np.array([np.nan if v is None else float(v) for v in values])
    elif len(kind) <= 2:  # binary nominal: one 0/1 column, category index
        index = {c: i for i, c in enumerate(kind)}
        yield "", rows, np.array([np.nan if v is None else index[v] for v in values])
    else:  # one-hot: omitted sparse entries are category 0, so go dense
        codes = _nominal_codes(kind, rows, values, n_samples)
        for i, category in enumerate(kind):
            hit = np.flatnonzero((codes == i) | np.isnan(codes))
            yield f"={category}", hit, np.where(np.isnan(codes[hit]), np.nan, 1.0)


def _where(path, row):
    """``file, line N`` of data row ``row`` of an ARFF file."""
    for i, (line_number, _) in enumerate(_data_lines(path)):
        if i == row:
            return f"{path}, line {line_number}"
    return str(path)


def _label_column(name, kind, rows, values, n_samples, path):
    if not isinstance(kind, list) or "1" not in kind:
        raise ValueError(
            f"{path}: label attribute {name!r} must be nominal with a value '1', "
            f"got {kind}."
        )
    for row, value in zip(rows, values, strict=True):
        if value not in ("0", "1"):
            what = "a missing value" if value is None else f"the value {value!r}"
            raise ValueError(
                f"Label attribute {name!r} has {what} at {_where(path, row)}: "
                "label values must be 0 or 1."
            )
    if kind[0] not in ("0", "1") and len(rows) < n_samples:
        raise ValueError(
            f"{path}: label attribute {name!r} is omitted in sparse rows, where it "
            f"takes its first declared value {kind[0]!r}: label values must be 0 or 1."
        )
    # Omitted sparse entries take the first declared value.
    column = np.full(n_samples, kind[0] == "1", dtype=np.uint8)
    column[rows] = [v == "1" for v in values]
    return column


def _build(attributes, columns, n_samples, sparse, label_names, path):
    label_set = set(label_names)
    feature_names, entry_rows, entry_cols, entry_values, labels = [], [], [], [], {}
    for (name, kind), (rows, values) in zip(attributes, columns, strict=True):
        if isinstance(kind, str) and kind.upper() in ("STRING", "DATE"):
            raise ValueError(
                f"{path}: attribute {name!r} is a {kind} attribute; only numeric and "
                "nominal attributes are supported."
            )
        if name in label_set:
            labels[name] = _label_column(name, kind, rows, values, n_samples, path)
            continue
        for suffix, r, v in _feature_entries(kind, rows, values, n_samples):
            entry_rows.append(r)
            entry_cols.append(np.full(len(r), len(feature_names)))
            entry_values.append(v)
            feature_names.append(name + suffix)

    missing = [n for n in label_names if n not in labels]
    if missing:
        raise ValueError(
            f"{path}: labels named in the XML file are not in the ARFF: {missing}."
        )
    # Labels in the order of the ARFF attributes, not of the XML file.
    label_order = [name for name, _ in attributes if name in label_set]
    Y = np.column_stack([labels[n] for n in label_order])

    shape = (n_samples, len(feature_names))
    rows = np.concatenate(entry_rows) if entry_rows else np.empty(0, np.intp)
    cols = np.concatenate(entry_cols) if entry_cols else np.empty(0, np.intp)
    values = np.concatenate(entry_values) if entry_values else np.empty(0)
    if sparse:
        X = sp.csr_matrix((values, (rows, cols)), shape=shape)
        X.eliminate_zeros()
    else:
        X = np.zeros(shape)
        X[rows, cols] = values
    return (
        X,
        Y,
        np.array(feature_names, dtype=object),
        np.array(label_order, dtype=object),
    )


def load_mulan(path_or_dir, name=None):
    """Load a MULAN multilabel dataset: ARFF data with labels named in XML.

    The label attributes are the ones the XML file names (at any depth of its
    hierarchy), matched by name, wherever they stand in the ARFF header. The
    other attributes are the features: numeric ones as they are, binary nominal
    ones as a 0/1 column, other nominal ones one-hot encoded. Missing feature
    values (``?``) become NaN. Sparse ARFF (``{index value, ...}`` rows) gives
    a CSR ``X``.

    Parameters
    ----------
    path_or_dir : str or path-like
        A directory with ``NAME.xml`` and ``NAME-train.arff`` /
        ``NAME-test.arff`` (or ``NAME.arff``), or the path of the XML file.
    name : str, default=None
        Dataset name; needed when the directory holds several XML files.

    Returns
    -------
    dataset : Bunch
        With ``name``, ``feature_names`` (ndarray of str), ``label_names``
        (ndarray of str, in ARFF order) and, per split (``train`` and
        ``test``, or ``all`` for a single ARFF file), a Bunch with ``X``
        (ndarray or CSR matrix of shape (n_samples, n_features)), ``Y``
        (uint8 ndarray of shape (n_samples, n_labels)), ``feature_names``
        and ``label_names``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from sklearn_softmax.datasets import load_mulan
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "toy.xml").write_text(
    ...     '<labels xmlns="http://mulan.sourceforge.net/labels">'
    ...     '<label name="b"/><label name="a"/></labels>')
    >>> header = "@relation toy\\n@attribute f numeric\\n@attribute a {0,1}\\n"
    >>> header += "@attribute b {0,1}\\n@data\\n"
    >>> _ = (d / "toy-train.arff").write_text(header + "1.5,1,0\\n-2,1,1\\n")
    >>> _ = (d / "toy-test.arff").write_text(header + "0,0,0\\n")
    >>> data = load_mulan(d)
    >>> data.train.X, data.train.Y, list(data.label_names)
    (array([[ 1.5],
           [-2. ]]), array([[1, 0],
           [1, 1]], dtype=uint8), ['a', 'b'])
    """
    _check_name(name)
    name, xml_path, files = _find_files(path_or_dir, name)
    label_names = _read_label_names(xml_path)
    result = Bunch(name=name)
    header = None
    for split, path in files.items():
        attributes, columns, n_samples, sparse = _read_arff(path)
        if header is None:
            header = attributes
        elif attributes != header:
            raise ValueError(
                f"{path} does not have the same attributes as the other split."
            )
        X, Y, feature_names, label_order = _build(
            attributes, columns, n_samples, sparse, label_names, path
        )
        result[split] = Bunch(
            X=X, Y=Y, feature_names=feature_names, label_names=label_order
        )
        result.feature_names, result.label_names = feature_names, label_order
    return result
