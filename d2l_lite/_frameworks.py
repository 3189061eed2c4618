"""Importing a framework quietly, in one place.

Frameworks print log lines and warnings on import and at run time (absl/oneDNN
notes from TensorFlow, glog and ccache notes from Paddle, FutureWarnings from
MXNet). A lesson's output should show only what the lesson prints, so each
backend module imports its framework through :func:`import_quietly`.
"""
import importlib
import logging
import os
import warnings

from . import INSTALL_HINTS

_ENV = {
    "tensorflow": {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0", "KERAS_BACKEND": "tensorflow",
                   "ABSL_MIN_LOG_LEVEL": "3"},
    "paddle": {"GLOG_minloglevel": "3", "FLAGS_call_stack_level": "0", "GLOG_v": "0"},
    "mxnet": {"MXNET_SUBGRAPH_VERBOSE": "0", "MXNET_STORAGE_FALLBACK_LOG_VERBOSE": "0"},
}
_PACKAGES = {"tensorflow": ("tensorflow", "keras", "absl"), "paddle": ("paddle",),
             "mxnet": ("mxnet",), "torch": ("torch",), "numpy": ()}


def restore_numpy_bool():
    """MXNet 1.9.1 (retired upstream) still uses ``np.bool``, which NumPy 1.24 removed."""
    import numpy as np
    if "bool" not in np.__dict__:
        np.bool = bool


def import_quietly(backend, module):
    """Import ``module`` for ``backend`` with its log noise off; a clear ImportError if it is missing."""
    for key, value in _ENV.get(backend, {}).items():
        os.environ.setdefault(key, value)
    for pkg in _PACKAGES[backend]:
        warnings.filterwarnings("ignore", module=rf"{pkg}(\.|$)")
        logging.getLogger(pkg).setLevel(logging.ERROR)
    if backend == "mxnet":
        restore_numpy_bool()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return importlib.import_module(module)
    except ImportError as e:
        raise ImportError(f"d2l_lite.{backend} needs the {backend} framework, which could not be imported "
                          f"({e}). Install it with: {INSTALL_HINTS[backend]}") from e
