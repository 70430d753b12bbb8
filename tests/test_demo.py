import pytest

from sklearn_softmax.__main__ import main, run


def test_demo_runs_and_reports_both_models(capsys):
    main(["--dataset", "iris"])
    out = capsys.readouterr().out
    assert out.count("| SoftmaxRegression |") == 5
    assert out.count("| EntmaxRegression |") == 5
    assert out.count("| SparsemaxRegression |") == 5
    assert "First fit in this process" in out and "SparsemaxRegression 0." in out


def test_demo_figures():
    rows, n_classes, _, first_fits = run("wine")
    assert set(first_fits) == {r["model"] for r in rows}
    assert n_classes == 3
    for r in rows:
        assert r["accuracy"] > 0.9
        if r["model"] == "SoftmaxRegression":
            assert r["support"] == 3.0
    for model in ("SparsemaxRegression", "EntmaxRegression"):
        sparse = [r["support"] for r in rows if r["model"] == model]
        assert sparse == sorted(sparse) and sparse[0] < sparse[-1]


def test_bad_arguments_are_one_line_and_exit_status_2(capsys):
    for argv in (["--C", "-1"], ["--C", "0"], ["--C", "nan"], ["--C", "x"]):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err and "--C" in err.splitlines()[-1]
