"""NumPy backend: gradients by hand, and small reference optimizers for the "concise" runs."""
import numpy as np

from . import _train
from ._plot import f_2d, grad_f_2d, plot_losses, show_trace_2d, train_2d  # noqa: F401  (re-exported)
from ._report import table_row  # noqa: F401  (re-exported)
from .optim import SGD, Adadelta, Adagrad, Adam, RMSProp, Yogi  # noqa: F401  (the "built-in" optimizers)


def linreg(X, w, b):
    return X @ w + b


def linreg_grads(params, X, y):
    """Gradients of mean((X w + b - y)^2 / 2) with respect to w and b, worked out by hand."""
    w, b = params
    err = linreg(X, w, b) - y                          # (m, 1)
    m = np.float32(X.shape[0])
    return [X.T @ err / m, err.sum(axis=0) / m]


class Linear:
    """The NumPy "layer": y_hat = X w + b, with its hand-written backward pass."""

    def __init__(self, w, b):
        self.params = [w.copy(), b.copy()]

    def __call__(self, X):
        return linreg(X, *self.params)

    def grads(self, X, y):
        return linreg_grads(self.params, X, y)


def squared_loss(y_hat, y):
    return (y_hat - y) ** 2 / 2


class _Backend(_train.Backend):
    name = "numpy"

    @staticmethod
    def tensor(a):
        return np.array(a, dtype=np.float32)

    @staticmethod
    def take(t, idx):
        return t[idx]

    @staticmethod
    def to_numpy(params):
        return [p.copy() for p in params]

    def make_params(self, w, b):
        return [w.copy(), b.copy()]

    def scratch_step(self, params, trainer_fn, states, hyperparams):
        def step(X, y):
            trainer_fn(params, linreg_grads(params, X, y), states, hyperparams)
        return step

    @staticmethod
    def scratch_loss(params, X, y):
        return float(squared_loss(linreg(X, *params), y).mean())

    def concise(self, trainer, hyperparams, w, b):
        net, opt = Linear(w, b), trainer(**hyperparams)
        state = opt.init(net.params)

        def step(X, y):
            opt.update(net.params, net.grads(X, y), state)

        def loss(X, y):
            return float(squared_loss(net(X), y).mean())
        return step, loss, net.params, lambda: self.to_numpy(net.params)


get_data, train_from_scratch, train_concise = _train.bind(_Backend())
