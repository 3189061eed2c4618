"""Build the book once per test session (cached executions make a rebuild cheap).

The test build points the site's address at a port on 127.0.0.1 (``SITE_URL``), where
tests/test_readerpath.py serves ``_build/html`` and fetches a notebook as a reader would."""
import os
import socket
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HTML = os.path.join(ROOT, "_build", "html")
NOTEBOOKS = os.path.join(ROOT, "_build", "notebooks")
sys.path.insert(0, os.path.join(ROOT, "tools"))



def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SITE_PORT = _free_port()
SITE_URL = f"http://127.0.0.1:{SITE_PORT}/"
_result = []


def build():
    """Run ``tools/bookbuild.py build`` once; return the CompletedProcess."""
    if not _result:
        _result.append(subprocess.run([sys.executable, os.path.join(ROOT, "tools", "bookbuild.py"), "build"],
                                      cwd=ROOT, capture_output=True, text=True,
                                      env={**os.environ, "D2L_SITE_URL": SITE_URL}))
    return _result[0]
