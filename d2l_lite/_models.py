"""The models every backend trains, written once: their layers, parameter shapes and initial weights.

A model is a stack of layers, each ``"dense"`` (``X @ W + b``, ``W`` of shape (inputs, outputs)) or
``"relu"``, and a loss averaged over the minibatch:

* ``"linreg"``: linear regression, one dense layer to one output, squared loss ``(y_hat - y)^2 / 2``.
* ``"softmax"``: softmax regression, one dense layer to one logit per class, softmax cross-entropy.
* ``"mlp"``: a multilayer perceptron, dense (64 hidden units) -> ReLU -> dense, softmax cross-entropy.

The parameters are the list ``[W1, b1, W2, b2, ...]``, layer by layer, weight before bias
(:func:`param_shapes`). Their initial values are drawn here, by NumPy, from the run's ``seed``, so every
backend starts from the same numbers. A backend supplies the operations ``dense``, ``relu``,
``squared_loss`` and ``cross_entropy``; :func:`forward` and :func:`loss` put them together.
"""
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Model:
    name: str
    task: str               # "regression" or "classification": the data it fits
    hidden: tuple           # widths of the hidden layers (each followed by a ReLU)
    loss_name: str          # the name of the backend operation that computes the mean loss
    init: str               # "small": N(0, 0.01^2); "he": N(0, 2 / fan_in) (He et al., 2015)
    description: str

    @property
    def layers(self):
        return ("dense", "relu") * len(self.hidden) + ("dense",)


MODELS = {
    "linreg": Model("linreg", "regression", (), "squared_loss", "small",
                    "linear regression, squared loss"),
    "softmax": Model("softmax", "classification", (), "cross_entropy", "small",
                     "softmax regression, cross-entropy loss"),
    "mlp": Model("mlp", "classification", (64,), "cross_entropy", "he",
                 "MLP: dense 64 -> ReLU -> dense, cross-entropy loss"),
}


def get_model(model, data_iter):
    """The :class:`Model` called ``model`` (``None``: the data set's default), checked against the data."""
    if model is None:
        model = data_iter.default_model
    if not isinstance(model, str) or model not in MODELS:
        raise ValueError(f"unknown model {model!r}; the models are: "
                         + ", ".join(f"{k!r} ({m.description})" for k, m in MODELS.items()))
    m = MODELS[model]
    if m.task != data_iter.task:
        fits = [k for k, v in MODELS.items() if v.task == data_iter.task]
        raise ValueError(f"model {model!r} is a {m.task} model, but the {data_iter.name} data are a "
                         f"{data_iter.task} task; models that fit them: {', '.join(map(repr, fits))}")
    return m


def dense_shapes(model, feature_dim, num_outputs):
    """(inputs, outputs) of each dense layer, in order."""
    widths = (feature_dim,) + tuple(model.hidden) + (num_outputs,)
    return list(zip(widths[:-1], widths[1:]))


def param_shapes(model, feature_dim, num_outputs):
    """The shape of each parameter, in the order of ``params``: ``[W1, b1, W2, b2, ...]``."""
    shapes = []
    for fan_in, fan_out in dense_shapes(model, feature_dim, num_outputs):
        shapes += [(fan_in, fan_out), (fan_out,)]
    return shapes


def init_params(model, feature_dim, num_outputs, seed=0):
    """Initial parameters as float32 NumPy arrays, drawn with ``np.random.default_rng(seed)``.

    Weights come from N(0, 0.01^2) (``init="small"``) or N(0, 2 / fan_in) (``init="he"``), one layer
    after the other from one generator; biases are zero.
    """
    rng = np.random.default_rng(seed)
    params = []
    for fan_in, fan_out in dense_shapes(model, feature_dim, num_outputs):
        std = 0.01 if model.init == "small" else np.sqrt(2.0 / fan_in)
        params += [rng.normal(0.0, std, size=(fan_in, fan_out)).astype(np.float32),
                   np.zeros(fan_out, dtype=np.float32)]
    return params


def forward(ops, model, params, X):
    """The model's output on ``X`` (predictions or logits), with a backend's operations ``ops``."""
    i = 0
    for layer in model.layers:
        if layer == "dense":
            X = ops.dense(X, params[i], params[i + 1])
            i += 2
        else:
            X = ops.relu(X)
    return X


def loss(ops, model, params, X, y):
    """The minibatch's mean loss, a framework scalar."""
    return getattr(ops, model.loss_name)(forward(ops, model, params, X), y)
