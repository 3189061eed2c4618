"""Make a kernel behave as if only one framework were installed.

The book build puts this folder on PYTHONPATH and sets D2L_ONLY_FRAMEWORK; importing
any other deep-learning framework then fails, so a section's notebook for one framework
provably runs in an environment that holds only that framework (plus NumPy, matplotlib
and d2l_lite).
"""
import importlib.machinery
import os
import sys

_OTHERS = {"torch": "torch", "tensorflow": "tensorflow", "keras": "tensorflow", "mxnet": "mxnet",
           "paddle": "paddle"}
_only = os.environ.get("D2L_ONLY_FRAMEWORK")


class _Blocker:
    """A finder that claims the other frameworks, and a loader that refuses to load them."""

    def find_spec(self, name, path=None, target=None):
        owner = _OTHERS.get(name.partition(".")[0])
        if owner is not None and owner != _only:
            return importlib.machinery.ModuleSpec(name, self)   # origin None: "no file to look at"
        return None

    def create_module(self, spec):
        raise ModuleNotFoundError(f"No module named {spec.name!r} (the {_only} notebook runs with "
                                  f"{_only} as its only framework)", name=spec.name)

    def exec_module(self, module):
        pass


if _only:
    sys.meta_path.insert(0, _Blocker())
