"""d2l_lite: the helpers every section of the optimizers book shares.

``import d2l_lite`` imports no deep-learning framework. Pick one backend, as a
reader does::

    from d2l_lite import torch as d2l          # or numpy, tensorflow, mxnet, paddle
    data_iter, feature_dim = d2l.get_data(batch_size=10)

or by name: ``d2l = d2l_lite.load_backend("torch")``.
"""
import importlib

__version__ = "0.1.0"

#: The five backends, in the order the book shows them.
BACKENDS = ("numpy", "torch", "tensorflow", "mxnet", "paddle")

#: What a reader sees on a tab, per backend.
DISPLAY_NAMES = {"numpy": "NumPy", "torch": "PyTorch", "tensorflow": "TensorFlow",
                 "mxnet": "MXNet", "paddle": "PaddlePaddle"}

#: The pip command that installs each framework (the versions the book was built with).
INSTALL_HINTS = {
    "numpy": 'pip install "numpy<2"',
    "torch": "pip install torch==2.13.0  (CPU build; see https://pytorch.org for others)",
    "tensorflow": "pip install tensorflow-cpu==2.21.0",
    "mxnet": 'pip install mxnet==1.9.1 "numpy<2"',
    "paddle": "pip install paddlepaddle==3.3.1",
}


def load_backend(name):
    """Return the backend module called ``name`` (one of :data:`BACKENDS`)."""
    if name not in BACKENDS:
        raise ValueError(f"unknown backend {name!r}; the backends are: {', '.join(BACKENDS)}")
    return importlib.import_module(f"{__name__}.{name}")
