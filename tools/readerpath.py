"""The path from the website to a running notebook: the site's address, d2l_lite's wheel, the install cell.

``make book`` builds d2l_lite's wheel with the standard tooling (``python -m build``) and publishes it in the
site under ``wheels/``. Every downloaded notebook starts with a cell that installs d2l_lite from there when it
is not importable, and does nothing when it is. The site's address is one setting, ``html.baseurl`` in
``_config.yml``; the environment variable ``D2L_SITE_URL`` overrides it for one build (the tests point it at a
server on 127.0.0.1).
"""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The executed notebooks keep this placeholder (the cell does nothing during the build, where d2l_lite is
# importable); the site's notebooks get the wheel's address instead, so changing the address executes nothing.
WHEEL_PLACEHOLDER = "{d2l_lite_wheel_url}"
INSTALL_TAG = "d2l-install"

INSTALL_SOURCE = f"""\
# d2l_lite, the book's helper package: installed from the book's site if this Python cannot import it
import importlib, importlib.util, subprocess, sys
if importlib.util.find_spec("d2l_lite") is None:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet",
                           "{WHEEL_PLACEHOLDER}"])
    importlib.invalidate_caches()"""


def site_url():
    """The site's address, ending in '/': ``D2L_SITE_URL`` if set, else ``html.baseurl`` of ``_config.yml``."""
    import yaml
    url = os.environ.get("D2L_SITE_URL")
    where = "the environment variable D2L_SITE_URL"
    if not url:
        with open(os.path.join(ROOT, "_config.yml")) as f:
            url = (yaml.safe_load(f).get("html") or {}).get("baseurl") or ""
        where = "html.baseurl in _config.yml"
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"{where} is {url!r}: it must be the address the site is served from, "
                         "starting with http:// or https:// (for example http://127.0.0.1:8000/)")
    return url if url.endswith("/") else url + "/"


def project_version():
    import tomllib
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        project = tomllib.load(f)["project"]
    return project["name"], project["version"]


def wheel_filename():
    name, version = project_version()
    return f"{name.replace('-', '_')}-{version}-py3-none-any.whl"


def wheel_url():
    return site_url() + "wheels/" + wheel_filename()


def build_wheel(outdir):
    """Build d2l_lite's wheel with ``python -m build`` (no isolation: the pinned setuptools of this venv, no
    download) from a copy of the package, so the repository gets no build/ or egg-info; return its path."""
    import shutil
    with tempfile.TemporaryDirectory(prefix="d2l-wheel-") as tmp:
        src = os.path.join(tmp, "src")
        os.makedirs(src)
        for f in ("pyproject.toml", "README.md", "LICENSE"):
            if os.path.exists(os.path.join(ROOT, f)):
                shutil.copy(os.path.join(ROOT, f), src)
        shutil.copytree(os.path.join(ROOT, "d2l_lite"), os.path.join(src, "d2l_lite"),
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        proc = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
                               os.path.join(tmp, "dist"), src], capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"python -m build failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
        built = os.listdir(os.path.join(tmp, "dist"))
        if built != [wheel_filename()]:
            raise RuntimeError(f"python -m build made {built}, expected [{wheel_filename()!r}]")
        os.makedirs(outdir, exist_ok=True)
        out = os.path.join(outdir, built[0])
        shutil.copy(os.path.join(tmp, "dist", built[0]), out)
    return out


def install_cell():
    import nbformat
    cell = nbformat.v4.new_code_cell(INSTALL_SOURCE)
    cell.metadata = {"tags": [INSTALL_TAG]}
    return cell


def publish_notebook(nb, url):
    """A copy of an executed notebook with the install cell pointing at ``url``."""
    import copy
    out = copy.deepcopy(nb)
    cells = [c for c in out.cells if INSTALL_TAG in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ValueError(f"expected one install cell (tag {INSTALL_TAG!r}) in the notebook, found {len(cells)}")
    cells[0].source = cells[0].source.replace(WHEEL_PLACEHOLDER, url)
    return out
