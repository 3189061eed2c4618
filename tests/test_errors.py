"""Bad input: each error is of a clear type and its message names the bad value and what is allowed."""
import json
import math
import os
import re
import shutil
import textwrap

import pytest

import d2l_lite
from conftest import BACKENDS, FRAMEWORKS, python
from d2l_lite import _data


def errors(backend_job, backend):
    return backend_job(backend, "errors")


# --- backend names and missing frameworks ----------------------------------------------------

@pytest.mark.parametrize("name", ["jax", "Torch", "pytorch", ""])
def test_unknown_backend_name(name):
    with pytest.raises(ValueError) as e:
        d2l_lite.load_backend(name)
    msg = str(e.value)
    assert repr(name) in msg
    assert "numpy, torch, tensorflow, mxnet, paddle" in msg


@pytest.fixture(scope="module")
def missing_framework_errors():
    """In one fresh process where no framework can be imported, what each backend module raises."""
    code = textwrap.dedent(f"""
        import json, sys
        for fw in {list(FRAMEWORKS)!r}:
            sys.modules[fw] = None          # makes `import fw` raise ImportError
        out = {{}}
        for fw in {list(FRAMEWORKS)!r}:
            try:
                __import__("d2l_lite." + fw)
                out[fw] = None
            except Exception as e:
                out[fw] = [type(e).__name__, str(e)]
        print(json.dumps(out))
    """)
    proc = python(code)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_missing_framework_says_how_to_install_it(missing_framework_errors, framework):
    err = missing_framework_errors[framework]
    assert err is not None, f"importing d2l_lite.{framework} without {framework} raised nothing"
    kind, msg = err
    assert kind == "ImportError"
    assert f"d2l_lite.{framework} needs the {framework} framework" in msg
    assert "Install it with: " + d2l_lite.INSTALL_HINTS[framework] in msg
    assert "pip install" in msg


# --- get_data and the training functions --------------------------------------------------------

BAD_ARGUMENTS = {
    "batch_size_0": ("ValueError", "batch_size must be an integer from 1 to 1500, got 0"),
    "batch_size_above_n": ("ValueError", "batch_size must be an integer from 1 to 100, got 101"),
    "batch_size_float": ("TypeError", "batch_size must be an integer from 1 to 1500, got 2.5 of type float"),
    "n_0": ("ValueError", "n must be an integer from 1 to 1503, got 0"),
    "n_1504": ("ValueError", "n must be an integer from 1 to 1503, got 1504"),
    "seed_negative": ("ValueError", "seed must be an integer >= 0, got -1"),
    "num_epochs_0_scratch": ("ValueError", "num_epochs must be an integer >= 1, got 0"),
    "num_epochs_0_concise": ("ValueError", "num_epochs must be an integer >= 1, got 0"),
    "feature_dim_wrong": ("ValueError", "feature_dim is 4 but the data has 5 features"),
    "data_iter_not_from_get_data": ("TypeError", "data_iter must come from get_data(), got list"),
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("what", list(BAD_ARGUMENTS))
def test_bad_argument(backend_job, backend, what):
    err = errors(backend_job, backend)[what]
    assert err is not None, f"{what}: no error raised"
    assert [err["type"], err["message"]] == list(BAD_ARGUMENTS[what])


@pytest.mark.parametrize("backend", BACKENDS)
def test_trainer_that_changes_a_shape(backend_job, backend):
    err = errors(backend_job, backend)["shape_change"]
    assert err is not None, "a trainer_fn that reshapes w raised nothing"
    assert err["type"] == "ValueError"
    assert "trainer_fn changed the shape of" in err["message"]
    assert "keep every parameter's shape" in err["message"]
    if backend != "tensorflow":             # TensorFlow's own message gives the shapes instead
        assert "from (5, 1) to (5,)" in err["message"]
    else:
        assert "(5, 1)" in err["message"] and "(5,)" in err["message"]


# --- divergence --------------------------------------------------------------------------------

DIVERGED = re.compile(r"^diverged: the loss became (inf|nan|-inf) at epoch (\d+\.\d\d) \(after (\d+) examples\); "
                      r"the learning rate may be too large\n$")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kind", ["scratch", "concise"])
def test_divergence_stops_the_run_and_says_so(backend_job, backend, kind):
    run = errors(backend_job, backend)[f"diverged_{kind}"]
    assert run["diverged"] is True
    losses = run["losses"]
    assert all(math.isfinite(x) for x in losses[:-1]) and not math.isfinite(losses[-1]), losses
    assert 2 <= len(losses) < 16, "the run should stop at the first non-finite loss"
    assert run["final_loss"] == losses[-1]
    assert run["diverged_at_epoch"] == pytest.approx(run["epochs"][-1])
    m = DIVERGED.match(run["printed"])
    assert m, run["printed"]
    assert float(m.group(2)) == pytest.approx(run["diverged_at_epoch"], abs=0.005)
    assert int(m.group(3)) == round(run["diverged_at_epoch"] * 1500)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kind", ["scratch", "concise"])
def test_divergence_is_quiet_on_stderr(backend_job, backend, kind):
    """A notebook shows warnings on stderr, which fails the book build: a diverging run (an
    exercise on too large a learning rate) must warn only through its printed line."""
    run = errors(backend_job, backend)[f"diverged_{kind}"]
    assert run["warnings"] == [] and run["stderr"] == "", (
        f"d2l_lite.{backend} warns while the loss overflows: {run['warnings'] or run['stderr']} "
        "(the run should silence overflow, e.g. np.errstate in d2l_lite/_train.py run())")


# --- the data file -----------------------------------------------------------------------------

def test_load_airfoil_missing_file(tmp_path):
    path = str(tmp_path / "nowhere" / "airfoil_self_noise.dat")
    with pytest.raises(FileNotFoundError) as e:
        _data.load_airfoil(path)
    assert path in str(e.value) and "missing" in str(e.value) and "reinstall" in str(e.value)


def _corrupted_copy(tmp_path):
    raw = bytearray(open(_data.DATA_FILE, "rb").read())
    raw[100] = ord("9") if raw[100] != ord("9") else ord("8")     # one digit changed
    path = tmp_path / "airfoil_self_noise.dat"
    path.write_bytes(bytes(raw))
    return str(path)


def test_load_airfoil_corrupted_file(tmp_path):
    import hashlib
    path = _corrupted_copy(tmp_path)
    digest = hashlib.sha1(open(path, "rb").read()).hexdigest()
    with pytest.raises(ValueError) as e:
        _data.load_airfoil(path)
    msg = str(e.value)
    assert "corrupted" in msg and path in msg
    assert f"its SHA-1 is {digest}, expected {_data.DATA_SHA1}" in msg


GET_DATA = textwrap.dedent("""
    import json, d2l_lite
    from d2l_lite import numpy as d2l
    try:
        d2l.get_data()
        out = None
    except Exception as e:
        out = [type(e).__name__, str(e)]
    print(json.dumps({"file": d2l_lite.__file__, "error": out}))
""")


@pytest.mark.parametrize("damage", ["missing", "corrupted"])
def test_get_data_fails_in_an_install_with_a_bad_data_file(tmp_path, damage):
    """A copy of the package whose data file is missing or damaged: get_data says so."""
    site = tmp_path / "site"
    shutil.copytree(os.path.dirname(d2l_lite.__file__), site / "d2l_lite",
                    ignore=shutil.ignore_patterns("__pycache__"))
    data_file = site / "d2l_lite" / "data" / "airfoil_self_noise.dat"
    if damage == "missing":
        data_file.unlink()
    else:
        shutil.copy(_corrupted_copy(tmp_path), data_file)
    proc = python(GET_DATA, env={"PYTHONPATH": str(site)}, cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["file"].startswith(str(site)), out["file"]          # the copy was imported
    assert out["error"] is not None, "get_data() did not notice the bad data file"
    kind, msg = out["error"]
    if damage == "missing":
        assert kind == "FileNotFoundError" and str(data_file) in msg
    else:
        assert kind == "ValueError" and "corrupted" in msg and _data.DATA_SHA1 in msg


def test_get_data_uses_a_patched_data_file(tmp_path):
    """Monkeypatching d2l_lite._data.DATA_FILE (and clearing the cache) points get_data elsewhere.

    Fails with d2l_lite as it is: load_airfoil(path=DATA_FILE) binds the default path when the
    module is imported, so get_data() keeps reading the shipped file. Fix in d2l_lite/_data.py:
    ``def load_airfoil(path=None):`` and ``path = DATA_FILE if path is None else path``.
    """
    missing = str(tmp_path / "no_such_file.dat")
    code = textwrap.dedent(f"""
        import json
        from d2l_lite import _data
        _data.DATA_FILE = {missing!r}
        _data._cache.clear()
    """) + GET_DATA
    proc = python(code)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["error"] is not None, (
        "d2l_lite bug: get_data() ignored the patched d2l_lite._data.DATA_FILE, because "
        "load_airfoil's default path=DATA_FILE is fixed at import (d2l_lite/_data.py, def load_airfoil)")
    assert out["error"][0] == "FileNotFoundError" and missing in out["error"][1]


# --- MXNet: legacy mx.nd arrays in a from-scratch rule -------------------------------------------

@pytest.mark.parametrize("what, calls", [("op", 1), ("state", 0), ("assigned", 1)])
def test_mxnet_legacy_nd_rule_stops_at_the_first_step(backend_job, what, calls):
    """The MXNet backend uses mx.np arrays; a rule written with mx.nd (an nd operator, an nd state, an nd array
    stored into the states) stops at the first step with d2l_lite's TypeError, which names both interfaces and
    how to convert, not MXNet's own "type NDArray not supported" from deep inside an operator."""
    legacy = errors(backend_job, "mxnet")["legacy_nd"]
    err = legacy[what]
    assert err is not None, f"a rule with a legacy mx.nd {what} raised nothing"
    assert err["type"] == "TypeError"
    msg = err["message"]
    assert "legacy mx.nd" in msg and "mx.np" in msg and "npx.set_np()" in msg, msg
    assert ".as_np_ndarray()" in msg and "mnp.array(x)" in msg and ".as_nd_ndarray()" in msg, msg
    assert not msg.startswith("type <class"), msg
    assert legacy[what + "_calls"] == calls, "the run did not stop at the first step"
