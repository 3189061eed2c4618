"""``import d2l_lite`` imports no framework; each backend imports only its own."""
import json
import textwrap

import pytest

import d2l_lite
from conftest import BACKENDS, FRAMEWORKS, python

HEAVY = ("torch", "tensorflow", "paddle", "mxnet", "keras", "jax", "matplotlib")


def imported_after(statement):
    code = textwrap.dedent(f"""
        import json, sys
        {statement}
        print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))
    """)
    proc = python(code)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_backends():
    assert d2l_lite.BACKENDS == ("numpy", "torch", "tensorflow", "mxnet", "paddle")
    assert set(d2l_lite.DISPLAY_NAMES) == set(d2l_lite.BACKENDS)
    assert set(d2l_lite.INSTALL_HINTS) == set(d2l_lite.BACKENDS)


def test_import_d2l_lite_imports_no_framework():
    assert imported_after("import d2l_lite") == []


def test_numpy_backend_imports_no_framework():
    assert imported_after("from d2l_lite import numpy as d2l; import d2l_lite.optim") == []


@pytest.mark.parametrize("backend", FRAMEWORKS)
def test_a_backend_imports_only_its_own_framework(backend_job, backend):
    assert backend_job(backend, "data")["frameworks_imported"] == [backend]


def test_load_backend_returns_the_module():
    import d2l_lite.numpy
    assert d2l_lite.load_backend("numpy") is d2l_lite.numpy


@pytest.mark.parametrize("backend", FRAMEWORKS)
def test_load_backend_loads_each_framework_backend(backend_job, backend):
    """The workers get their backend with d2l_lite.load_backend(name)."""
    assert backend_job(backend, "data")["module"] == f"d2l_lite.{backend}"


def test_every_backend_module_offers_the_same_api():
    """Read each backend's source (importing them together is impossible): the same public names."""
    import ast
    import os
    root = os.path.dirname(d2l_lite.__file__)
    api = {}
    for backend in BACKENDS:
        tree = ast.parse(open(os.path.join(root, f"{backend}.py")).read())
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in ("_plot", "_report"):
                names |= {a.asname or a.name for a in node.names}
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple):
                names |= {t.id for t in node.targets[0].elts if isinstance(t, ast.Name)}
        api[backend] = names
    expected = {"get_data", "param_shapes", "train_from_scratch", "train_concise", "plot_losses", "train_2d",
                "show_trace_2d", "f_2d", "grad_f_2d", "table_row"}
    for backend, names in api.items():
        assert expected <= names, (backend, expected - names)
