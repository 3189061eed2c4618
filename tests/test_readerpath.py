"""From the website to a running notebook, end to end on this machine: serve the built site on 127.0.0.1,
make a fresh virtual environment with NumPy, matplotlib and a kernel only, fetch a section's NumPy notebook
over HTTP from the page's download link, execute it, and check that it ran clean with d2l_lite installed from
the wheel the site serves. Also: the wheel's metadata is valid and its extras pin the frameworks."""
import functools
import http.server
import io
import json
import os
import re
import subprocess
import sys
import threading
import urllib.request
import zipfile

import nbformat
import pytest

from _book import HTML, ROOT, SITE_PORT, SITE_URL

import readerpath

SECTION = "convexity"          # a section whose NumPy notebook trains on both data sets and draws figures


@pytest.fixture(scope="module")
def server(built):
    requests = []

    class Recording(http.server.SimpleHTTPRequestHandler):
        def log_message(self, fmt, *args):
            requests.append(self.path)
    handler = functools.partial(Recording, directory=HTML)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", SITE_PORT), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield requests
    httpd.shutdown()
    httpd.server_close()


def _get(path):
    with urllib.request.urlopen(SITE_URL + path, timeout=30) as r:
        return r.read()


def _pins():
    pins = {}
    with open(os.path.join(ROOT, "requirements.txt")) as f:
        for line in f:
            m = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line)
            if m:
                pins[m.group(1).lower()] = m.group(2)
    return pins


def test_wheel_metadata_is_valid_and_extras_pin_the_frameworks(server):
    from packaging.metadata import Metadata
    wheel = _get("wheels/" + readerpath.wheel_filename())
    with zipfile.ZipFile(io.BytesIO(wheel)) as z:
        name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        files = set(z.namelist())
        raw = z.read(name).decode()
    meta = Metadata.from_email(raw, validate=True)        # raises on invalid core metadata
    assert (str(meta.name), str(meta.version)) == readerpath.project_version()
    for data in ("d2l_lite/data/airfoil_self_noise.dat", "d2l_lite/data/digits.csv.gz"):
        assert data in files, f"the wheel lacks {data}"
    pins = _pins()
    extras = {"torch": "torch", "tensorflow": "tensorflow-cpu", "mxnet": "mxnet", "paddle": "paddlepaddle"}
    assert {str(e) for e in meta.provides_extra} == set(extras)
    reqs = {(r.name.lower(), str(r.specifier), str(r.marker)) for r in meta.requires_dist}
    for extra, package in extras.items():
        assert (package, f"=={pins[package]}", f'extra == "{extra}"') in reqs, (extra, sorted(reqs))
    assert ("numpy", "<2", "None") in reqs


@pytest.fixture(scope="module")
def fresh_env(tmp_path_factory):
    """A virtual environment with NumPy, matplotlib and ipykernel (the pinned versions) and nothing else."""
    env_dir = tmp_path_factory.mktemp("reader") / "env"
    subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True)
    py = str(env_dir / "bin" / "python")
    pins = _pins()
    subprocess.run([py, "-m", "pip", "install", "--quiet", f"numpy=={pins['numpy']}",
                    f"matplotlib=={pins['matplotlib']}", f"ipykernel=={pins['ipykernel']}"],
                   check=True, capture_output=True, text=True, timeout=600)
    return py


def _clean_env():
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(MPLBACKEND="module://matplotlib_inline.backend_inline", NO_PROXY="127.0.0.1",
               no_proxy="127.0.0.1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


def test_a_notebook_from_the_site_runs_in_a_fresh_environment(server, fresh_env, tmp_path):
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    probe = "import importlib.util; print(importlib.util.find_spec('d2l_lite') is None)"
    before = subprocess.run([fresh_env, "-c", probe], capture_output=True, text=True, cwd=tmp_path, env=_clean_env())
    assert before.stdout.strip() == "True", "the fresh environment must start without d2l_lite"

    # as a reader does: open the section's page on the site and follow its NumPy download link
    page = _get(f"book/{SECTION}.html").decode()
    link = re.search(r'href="\.\./(_downloads/[^"]+/%s\.ipynb)"' % SECTION, page).group(1)
    nb = nbformat.reads(_get(link).decode(), as_version=4)
    assert nb.metadata["d2l_lite"] == {"section": SECTION, "framework": "numpy"}
    install = nb.cells[1]
    assert readerpath.INSTALL_TAG in install.metadata["tags"] and SITE_URL + "wheels/" in install.source

    kernels = tmp_path / "kernels" / "fresh"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [fresh_env, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "fresh reader env", "language": "python"}))
    km = KernelManager(kernel_name="fresh", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")]))
    workdir = tmp_path / "work"
    workdir.mkdir()
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    client = NotebookClient(nb, km=km, timeout=600, allow_errors=False, resources={"metadata": {"path": str(workdir)}})
    old = dict(os.environ)
    os.environ.clear()
    os.environ.update(_clean_env())
    try:
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(old)

    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code)
    for c in code:
        for out in c.outputs:
            assert out.output_type != "error", f"{out.get('ename')}: {out.get('evalue')}"
    assert any("image/png" in o.get("data", {}) for c in code for o in c.outputs), "no figure was drawn"
    assert f"/wheels/{readerpath.wheel_filename()}" in server, f"the wheel was not fetched: {server}"
    where = subprocess.run([fresh_env, "-c", "import d2l_lite, importlib.metadata as m; "
                            "print(d2l_lite.__file__); print(m.version('d2l-lite'))"],
                           capture_output=True, text=True, cwd=tmp_path, env=_clean_env())
    path, version = where.stdout.split()
    assert path.startswith(os.path.dirname(os.path.dirname(fresh_env))) and "site-packages" in path, path
    assert version == readerpath.project_version()[1]

    # a second run of the install cell does nothing: d2l_lite is importable now
    again = subprocess.run([fresh_env, "-c", install.source], capture_output=True, text=True, cwd=tmp_path,
                           env=_clean_env())
    assert again.returncode == 0 and again.stdout == "" and again.stderr == ""
