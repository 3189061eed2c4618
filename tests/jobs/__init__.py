"""More worker jobs, one module per topic (a section's rules, a feature of d2l_lite).

Each module here defines ``JOBS = {"<topic>_<name>": fn}`` with ``fn(backend, d2l) -> JSON-able``;
``_worker.py`` runs any of them in a fresh process of one backend, like its own jobs, and a
test reads it with ``backend_job(backend, "<topic>_<name>")``. Prefix job names with the topic:
the names of all modules share one table.
"""
import importlib
import pkgutil


def collect():
    """The JOBS of every module in this package, merged; a name defined twice is an error."""
    jobs = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for name, fn in getattr(module, "JOBS", {}).items():
            if name in jobs:
                raise ValueError(f"worker job {name!r} is defined twice (tests/jobs/{info.name}.py)")
            jobs[name] = fn
    return jobs
