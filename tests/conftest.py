"""Shared machinery: run a backend's share of the tests in a fresh subprocess, once per session.

TensorFlow and PaddlePaddle crash when imported into one process, so no test imports a
framework itself. ``backend_job(backend, job)`` starts ``tests/_worker.py BACKEND JOB`` (a new
Python process that imports only that backend), parses the JSON it prints and caches it for
the session, so each (backend, job) pair costs one process however many tests read it.
"""
import functools
import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from _worker import MARK  # noqa: E402

BACKENDS = ("numpy", "torch", "tensorflow", "mxnet", "paddle")
FRAMEWORKS = BACKENDS[1:]
TIMEOUT = 300


def python(code, env=None, cwd=ROOT, timeout=TIMEOUT):
    """Run ``code`` in a fresh interpreter (this venv's); return the CompletedProcess."""
    full_env = {**os.environ, "MPLBACKEND": "Agg", **(env or {})}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd,
                          env=full_env, timeout=timeout)


class JobReport:
    def __init__(self, backend, job, proc):
        self.backend, self.job = backend, job
        self.returncode, self.stderr = proc.returncode, proc.stderr
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(MARK)]
        self.payload = json.loads(lines[-1][len(MARK):]) if lines else None
        self.stdout_tail = proc.stdout[-3000:]

    @property
    def result(self):
        """The job's result; fails the calling test, with the worker's traceback, if it crashed."""
        where = f"worker {self.backend}/{self.job}"
        if self.payload is None:
            pytest.fail(f"{where} printed no result (exit code {self.returncode})\n"
                        f"stdout:\n{self.stdout_tail}\nstderr:\n{self.stderr[-3000:]}")
        if not self.payload["ok"]:
            pytest.fail(f"{where} raised:\n{self.payload['traceback']}")
        return self.payload["result"]


@functools.lru_cache(maxsize=None)
def run_job(backend, job):
    proc = subprocess.run([sys.executable, os.path.join(HERE, "_worker.py"), backend, job],
                          capture_output=True, text=True, cwd=ROOT, timeout=TIMEOUT,
                          env={**os.environ, "MPLBACKEND": "Agg"})
    return JobReport(backend, job, proc)


@pytest.fixture(scope="session")
def backend_job():
    """``backend_job(backend, job)`` -> the job's result (cached); ``.report`` for the raw report."""
    def get(backend, job):
        return run_job(backend, job).result
    get.report = run_job
    return get


@pytest.fixture(scope="session")
def built():
    """The book, built once per session (tests/_book.py); fails the test with the build's log if it failed."""
    from _book import build
    proc = build()
    assert proc.returncode == 0, f"book build failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    return proc
