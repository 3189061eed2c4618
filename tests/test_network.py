"""The digits MLP: the same numbers in five backends, from scratch and with the built-ins, the digits
data as specified, and clear errors for data sets, models and sizes that do not fit."""
import gzip
import hashlib

import numpy as np
import pytest

from conftest import BACKENDS
from _netspec import BUILTINS, EPOCHS, REL_TOL, SCRATCH
from _spec import key

from d2l_lite import _data


def rel(a, b):
    return abs(a - b) / max(abs(a), abs(b))


def net(backend_job, backend):
    return backend_job(backend, "network")


def digits(backend_job, backend):
    return backend_job(backend, "digits")


# --- agreement ---------------------------------------------------------------------------------

@pytest.mark.parametrize("rule,variant", SCRATCH, ids=[key(r, v) for r, v in SCRATCH])
def test_scratch_agrees_across_backends(backend_job, rule, variant):
    runs = {b: net(backend_job, b)["scratch"][key(rule, variant)] for b in BACKENDS}
    ref = runs["numpy"]
    for b, r in runs.items():
        assert not r["diverged"], b
        assert r["model"] == "mlp" and r["num_test"] == 359
        assert rel(r["losses"][0], ref["losses"][0]) <= REL_TOL, (b, r["losses"][0], ref["losses"][0])
        assert rel(r["final_loss"], ref["final_loss"]) <= REL_TOL, (b, r["final_loss"], ref["final_loss"])
        assert r["test_corrects"][-1] == ref["test_corrects"][-1], (b, r["test_corrects"][-1],
                                                                    ref["test_corrects"][-1])
        # it learned: the loss fell far below the start, and most test digits are right
        assert r["final_loss"] < 0.25 * r["losses"][0], (b, r["losses"][0], r["final_loss"])
        assert r["test_accuracies"][-1] > 0.9, (b, r["test_accuracies"][-1])
        assert abs(r["epochs"][-1] - EPOCHS) < 1e-9


@pytest.mark.parametrize("backend", BACKENDS)
def test_builtin_matches_its_scratch_variant(backend_job, backend):
    out = net(backend_job, backend)
    for c in BUILTINS[backend]:
        b = out["builtin"][c["id"]]
        s = out["scratch"][key(c["rule"], c["same_as"])]
        assert rel(b["final_loss"], s["final_loss"]) <= REL_TOL, (c["id"], b["final_loss"], s["final_loss"])
        assert b["test_corrects"][-1] == s["test_corrects"][-1], (c["id"], b["test_corrects"], s["test_corrects"])
        assert len(b["losses"]) == len(s["losses"])


@pytest.mark.parametrize("backend", BACKENDS)
def test_builtins_agree_across_backends_per_rule(backend_job, backend):
    """Built-in against built-in: each framework's optimizer ends where NumPy's reference ends."""
    ref = net(backend_job, "numpy")
    out = net(backend_job, backend)
    for c in BUILTINS[backend]:
        r = ref["scratch"][key(c["rule"], c["same_as"])]
        assert rel(out["builtin"][c["id"]]["final_loss"], r["final_loss"]) <= REL_TOL, c["id"]


def test_rules_are_told_apart(backend_job):
    """Not a trivial agreement: different rules end at clearly different losses."""
    s = net(backend_job, "numpy")["scratch"]
    finals = [s[key(r, {})]["final_loss"] for r in ("sgd", "momentum", "adam")]
    assert min(rel(a, b) for i, a in enumerate(finals) for b in finals[i + 1:]) > 10 * REL_TOL, finals


@pytest.mark.parametrize("backend", BACKENDS)
def test_param_shapes_and_result(backend_job, backend):
    out = net(backend_job, backend)
    assert out["shapes"] == [[64, 64], [64], [64, 10], [10]]
    r = out["scratch"][key("sgd", {})]
    assert r["param_shapes"] == out["shapes"]
    assert len(r["test_accuracies"]) == len(r["losses"]) == len(r["test_corrects"])
    assert r["test_accuracies"][-1] == r["test_corrects"][-1] / 359
    line = r["printed"].strip().splitlines()[-1]
    assert line.startswith(f"loss: {r['final_loss']:.3f}, test accuracy: {r['test_accuracies'][-1]:.3f}, ")
    assert line.endswith(" sec/epoch")
    plot = out["plot"]
    assert plot["num_axes"] == 2 and plot["ylabels"] == ["training loss", "test accuracy"]
    assert "model='mlp'" in plot["repr"] and "test_accuracy=" in plot["repr"]
    soft = out["softmax"]
    assert soft["model"] == "softmax" and soft["param_shapes"] == [[64, 10], [10]]
    assert soft["final_loss"] < soft["losses"][0]


# --- the data ----------------------------------------------------------------------------------

def test_digits_file_and_split():
    raw = open(_data.DIGITS_FILE, "rb").read()
    assert hashlib.sha1(raw).hexdigest() == _data.DIGITS_SHA1
    assert hashlib.sha1(gzip.decompress(raw)).hexdigest() == "a229efd535789b6355eea75c874eade6af220f64"
    X, y = _data.load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float32 and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0 and set(np.unique(X * 16)) <= set(range(17))
    train, test = _data.digits_split(y)
    assert len(train) == 1438 and len(test) == 359 and not set(train) & set(test)
    assert np.array_equal(np.sort(np.concatenate([train, test])), np.arange(1797))
    counts, test_counts = np.bincount(y), np.bincount(y[test])
    assert np.all(np.abs(test_counts - 0.2 * counts) <= 0.5), test_counts     # stratified
    again = _data.digits_split(y)
    assert np.array_equal(again[0], train) and np.array_equal(again[1], test)


@pytest.mark.parametrize("backend", BACKENDS)
def test_digits_in_every_backend(backend_job, backend):
    d, ref = digits(backend_job, backend), digits(backend_job, "numpy")
    assert d["feature_dim"] == 64 and d["num_classes"] == 10 and d["num_examples"] == 1438
    assert d["len"] == -(-1438 // 32)
    assert d["batch_shapes"] == [[32, 64], [32]]
    assert d["batch_dtypes"][0] == "float32" and d["batch_dtypes"][1] == "int64"
    for part in ("train_X", "train_y", "test_X", "test_y"):
        assert d[part] == ref[part], part
    assert len(d["test_y"]) == 359
    assert d["test_same_for_another_seed"] and d["train_same_for_another_seed"]
    assert d["param_shapes"] == [[64, 64], [64], [64, 10], [10]]
    assert d["param_shapes_softmax"] == [[64, 10], [10]]
    assert d["param_shapes_airfoil"] == [[5, 1], [1]]


EXPECTED_ERRORS = {
    "unknown_data_set": ("ValueError", "unknown data set 'mnist'; the data sets are: 'airfoil', 'digits'"),
    "name_as_batch_size": ("ValueError", "unknown data set 10; the data sets are: 'airfoil', 'digits' "
                                         "(the data set's name comes first: get_data('airfoil', batch_size=10))"),
    "batch_size_above_train": ("ValueError", "batch_size must be an integer from 1 to 1438, got 1439"),
    "n_above_train": ("ValueError", "n must be an integer from 1 to 1438, got 1439"),
    "unknown_model": ("ValueError", "unknown model 'cnn'; the models are: 'linreg' (linear regression, squared "
                                    "loss), 'softmax' (softmax regression, cross-entropy loss), 'mlp' (MLP: "
                                    "dense 64 -> ReLU -> dense, cross-entropy loss)"),
    "classifier_on_airfoil": ("ValueError", "model 'mlp' is a classification model, but the airfoil data are a "
                                            "regression task; models that fit them: 'linreg'"),
    "regression_on_digits": ("ValueError", "model 'linreg' is a regression model, but the digits data are a "
                                           "classification task; models that fit them: 'softmax', 'mlp'"),
    "feature_dim_airfoil_on_digits": ("ValueError", "feature_dim is 5 but the data has 64 features"),
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("what", list(EXPECTED_ERRORS))
def test_bad_input(backend_job, backend, what):
    err = digits(backend_job, backend)["errors"][what]
    assert err is not None, f"{what}: no error raised"
    assert [err["type"], err["message"]] == list(EXPECTED_ERRORS[what])


def test_missing_digits_file(tmp_path):
    path = str(tmp_path / "digits.csv.gz")
    with pytest.raises(FileNotFoundError) as e:
        _data.load_digits(path)
    assert path in str(e.value) and "missing" in str(e.value)


def test_corrupted_digits_file(tmp_path):
    raw = bytearray(gzip.decompress(open(_data.DIGITS_FILE, "rb").read()))
    raw[0] = ord("1")                                   # one pixel count changed, still a valid file
    path = tmp_path / "digits.csv.gz"
    path.write_bytes(gzip.compress(bytes(raw)))
    digest = hashlib.sha1(path.read_bytes()).hexdigest()
    with pytest.raises(ValueError) as e:
        _data.load_digits(str(path))
    assert "corrupted" in str(e.value) and f"its SHA-1 is {digest}, expected {_data.DIGITS_SHA1}" in str(e.value)
