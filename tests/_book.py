"""Build the book once per test session (cached executions make a rebuild cheap)."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HTML = os.path.join(ROOT, "_build", "html")
NOTEBOOKS = os.path.join(ROOT, "_build", "notebooks")
sys.path.insert(0, os.path.join(ROOT, "tools"))

_result = []


def build():
    """Run ``tools/bookbuild.py build`` once; return the CompletedProcess."""
    if not _result:
        _result.append(subprocess.run([sys.executable, os.path.join(ROOT, "tools", "bookbuild.py"), "build"],
                                      cwd=ROOT, capture_output=True, text=True))
    return _result[0]
