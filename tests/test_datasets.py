from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_array_equal

from sklearn_softmax.datasets import load_mulan

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "multilabel"

XML = """<?xml version="1.0" encoding="utf-8"?>
<labels xmlns="http://mulan.sourceforge.net/labels">
<label name="it&apos;s"></label>
<label name="group"><label name="L 2"></label></label>
</labels>
"""

HEADER = """% a comment
@relation 'toy: -C 3'
@attribute "L 2" {0,1}
@attribute 'x\\'1' numeric
@attribute colour {red,green,blue}
@attribute flag {no,yes}
@attribute 'it\\'s' {0,1}
@attribute group {0,1}
@data
"""


def write(tmp_path, train_rows, test_rows, name="toy", xml=XML, header=HEADER):
    (tmp_path / f"{name}.xml").write_text(xml)
    (tmp_path / f"{name}-train.arff").write_text(header + "\n".join(train_rows) + "\n")
    (tmp_path / f"{name}-test.arff").write_text(header + "\n".join(test_rows) + "\n")
    return tmp_path


def test_dense_arff(tmp_path):
    write(tmp_path, ["1,0.5,green,yes,0,1", "0,-1,blue,no,1,0"], ["1,?,red,no,1,1"])
    data = load_mulan(tmp_path)
    assert data.name == "toy"
    # Labels by name from the XML (at any depth), in ARFF order; 'group' is a
    # hierarchy node with a name, so it is a label too.
    assert list(data.label_names) == ["L 2", "it's", "group"]
    assert list(data.feature_names) == [
        "x'1",
        "colour=red",
        "colour=green",
        "colour=blue",
        "flag",
    ]
    assert_array_equal(data.train.X, [[0.5, 0, 1, 0, 1], [-1, 0, 0, 1, 0]])
    assert_array_equal(data.train.Y, [[1, 0, 1], [0, 1, 0]])
    assert data.train.Y.dtype == np.uint8
    assert np.isnan(data.test.X[0, 0])  # '?' is a missing value
    assert_array_equal(data.test.Y, [[1, 1, 1]])


def test_sparse_arff(tmp_path):
    rows = ["{0 1, 1 0.5, 2 green, 3 yes, 5 1}", "{4 1}", "{}"]
    write(tmp_path, rows, ["{1 2.5}"])
    data = load_mulan(tmp_path)
    X = data.train.X
    assert sp.issparse(X) and X.format == "csr"
    # Omitted nominal entries are the first category ('red', 'no').
    assert_array_equal(
        X.toarray(), [[0.5, 0, 1, 0, 1], [0, 1, 0, 0, 0], [0, 1, 0, 0, 0]]
    )
    assert_array_equal(data.train.Y, [[1, 0, 1], [0, 1, 0], [0, 0, 0]])
    assert data.test.X.shape == (1, 5)


def test_name_and_xml_path(tmp_path):
    write(tmp_path, ["1,0.5,green,yes,0,1"], ["1,0.5,green,yes,0,1"], name="a")
    write(tmp_path, ["1,0.5,green,yes,0,1"], ["1,0.5,green,yes,0,1"], name="b")
    with pytest.raises(ValueError, match="2 .xml files"):
        load_mulan(tmp_path)
    assert load_mulan(tmp_path, name="b").name == "b"
    assert load_mulan(tmp_path / "a.xml").name == "a"
    with pytest.raises(FileNotFoundError):
        load_mulan(tmp_path / "missing")


def test_errors(tmp_path):
    bad_xml = XML.replace("it&apos;s", "absent")
    write(tmp_path, ["1,0.5,green,yes,0,1"], ["1,0.5,green,yes,0,1"], xml=bad_xml)
    with pytest.raises(ValueError, match="absent"):
        load_mulan(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    write(other, ["1,0.5,green,yes,0,1"], ["1,0.5,green,yes,?,1"])
    with pytest.raises(
        ValueError, match=r"has a missing value at .*toy-test\.arff, line 10"
    ):
        load_mulan(other)


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data/multilabel absent")
@pytest.mark.parametrize(
    "name, n_train, n_test, n_features, n_labels, card_train, card_test",
    [
        ("scene", 1211, 1196, 294, 6, 1.0619, 1.0861),
        ("emotions", 391, 202, 72, 6, 1.8133, 1.9752),
        ("yeast", 1500, 917, 103, 14, 4.2280, 4.2519),
    ],
)
def test_real_mulan_files(
    name, n_train, n_test, n_features, n_labels, card_train, card_test
):
    data = load_mulan(SHARED / name)
    assert data.train.X.shape == (n_train, n_features)
    assert data.test.X.shape == (n_test, n_features)
    assert data.train.Y.shape == (n_train, n_labels)
    assert round(data.train.Y.sum(axis=1).mean(), 4) == card_train
    assert round(data.test.Y.sum(axis=1).mean(), 4) == card_test
    assert np.isfinite(data.train.X).all()
    if name == "yeast":  # the XML lists the labels in another order
        assert list(data.label_names) == [f"Class{i}" for i in range(1, 15)]


def test_non_binary_label_value_is_refused_with_file_and_line(tmp_path):
    header = HEADER.replace("@attribute group {0,1}", "@attribute group {0,1,2}")
    write(
        tmp_path,
        ["1,0.5,green,yes,0,1", "0,-1,blue,no,1,2"],
        ["1,0,red,no,1,1"],
        header=header,
    )
    with pytest.raises(
        ValueError,
        match=r"'group' has the value '2' at .*"
        r"toy-train\.arff, line 11: label values must be 0 or 1",
    ):
        load_mulan(tmp_path)


@pytest.mark.parametrize("name", ["../other/x", "/abs/x", "sub/x", "..", "a\\b"])
def test_a_dataset_name_is_not_a_path(tmp_path, name):
    write(tmp_path, ["1,0.5,green,yes,0,1"], ["1,0,red,no,1,1"])
    with pytest.raises(ValueError, match="name must be a dataset name"):
        load_mulan(tmp_path, name=name)


def test_malformed_file_errors_name_the_file(tmp_path):
    write(tmp_path, ["1,0.5,green,yes,0,1", "1,0.5,purple,yes,0,1"], ["1,0,red,no,1,1"])
    with pytest.raises(ValueError, match=r"toy-train\.arff: .*line 11"):
        load_mulan(tmp_path)


def test_malformed_xml_names_the_file(tmp_path):
    broken = XML.replace("</label>\n<label name=\"group\">", "</labels>\n<label>")
    write(tmp_path, ["1,0.5,green,yes,0,1"], ["1,0,red,no,1,1"], xml=broken)
    with pytest.raises(ValueError, match=r"toy\.xml is not a well-formed.*line"):
        load_mulan(tmp_path)
