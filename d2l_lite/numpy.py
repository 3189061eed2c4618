"""NumPy backend: gradients by hand (backpropagation, written once for every model), and small
reference optimizers for the "concise" runs."""
import numpy as np

from . import _train
from ._models import forward
from ._plot import f_2d, grad_f_2d, plot_losses, show_trace_2d, train_2d  # noqa: F401  (re-exported)
from ._explore import explore_2d  # noqa: E402,F401
from ._report import table_row  # noqa: F401  (re-exported)
from .optim import *  # noqa: F401,F403  (the "built-in" optimizers: every class of d2l_lite.optim)


def relu(X):
    return np.maximum(X, np.float32(0))


def log_softmax(Z):
    Z = Z - Z.max(axis=1, keepdims=True)               # shifting by the row's max changes nothing but overflow
    return Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))


def output_grad(model, out, y):
    """The gradient of each example's loss with respect to the model's output, one row per example."""
    if model.loss_name == "squared_loss":
        return out - y                                  # d/dy_hat of (y_hat - y)^2 / 2
    p = np.exp(log_softmax(out))                        # d/dz of -log softmax(z)_y is softmax(z) - onehot(y)
    p[np.arange(len(y)), y] -= 1
    return p


def backprop(model, params, X, y):
    """Gradients of the mean loss over the minibatch with respect to ``params``, by the chain rule:
    a forward pass that keeps each layer's input, then the layers backwards, dense and ReLU alike."""
    inputs, A, i = [], X, 0
    for layer in model.layers:
        inputs.append(A)
        if layer == "dense":
            A = A @ params[i] + params[i + 1]
            i += 2
        else:
            A = relu(A)
    dA = output_grad(model, A, y)                       # d(sum of the examples' losses) / d(output)
    m = np.float32(X.shape[0])
    grads = [None] * len(params)
    for layer, A_in in zip(reversed(model.layers), reversed(inputs)):
        if layer == "dense":
            i -= 2
            grads[i], grads[i + 1] = A_in.T @ dA / m, dA.sum(axis=0) / m
            if i:                                       # the input's gradient is needed below the first layer
                dA = dA @ params[i].T
        else:
            dA = dA * (A_in > 0)                        # ReLU passes the gradient where its input was positive
    return grads


class Net:
    """The NumPy "layers": a model's forward pass and its hand-written backward pass."""

    def __init__(self, model, init):
        self.model, self.params = model, [p.copy() for p in init]

    def __call__(self, X):
        return forward(_Backend, self.model, self.params, X)

    def grads(self, X, y):
        return backprop(self.model, self.params, X, y)


class _Backend(_train.Backend):
    name = "numpy"

    @staticmethod
    def tensor(a):
        return np.array(a, dtype=np.int64 if a.dtype.kind in "iu" else np.float32)

    @staticmethod
    def take(t, idx):
        return t[idx]

    @staticmethod
    def to_numpy(params):
        return [p.copy() for p in params]

    @staticmethod
    def scalar(t):
        return float(t)

    relu = staticmethod(relu)

    @staticmethod
    def cross_entropy(logits, y):
        return -log_softmax(logits)[np.arange(len(y)), y].mean()

    def make_params(self, arrays):
        return [a.copy() for a in arrays]

    def scratch_step(self, model, params, trainer_fn, states, hyperparams, data_iter):
        def step(X, y):
            trainer_fn(params, backprop(model, params, X, y), states, hyperparams)
        return step

    scheduler_doc = ("NumPy: a function ``scheduler(t) -> lr`` of the step t = 1, 2, ... (``d2l_lite.optim."
                     "schedules``); it sets the optimizer's ``lr`` before every step (leave ``lr`` out of "
                     "``hyperparams``).")

    def concise(self, trainer, hyperparams, model, init, data_iter, scheduler=None):
        from ._models import loss as model_loss
        from ._schedule import check_lr
        if scheduler is not None:
            if not callable(scheduler):
                raise TypeError("scheduler must be a function of the step t = 1, 2, ... that returns the "
                                f"learning rate, got {type(scheduler).__name__}")
            if "lr" in hyperparams:
                raise ValueError("hyperparams has an 'lr' and a scheduler was given: the scheduler sets the "
                                 "optimizer's lr before every step, so leave 'lr' out of hyperparams")
            hyperparams = {**hyperparams, "lr": check_lr(scheduler(1), 1, "scheduler")}
        net, opt = Net(model, init), trainer(**hyperparams)
        state = opt.init(net.params)
        count = [0]

        def step(X, y):
            if scheduler is not None:
                count[0] += 1
                opt.lr = check_lr(scheduler(count[0]), count[0], "scheduler")
            opt.update(net.params, net.grads(X, y), state)

        def loss(X, y):
            return float(model_loss(self, model, net.params, X, y))
        return step, loss, net, net.params, lambda: self.to_numpy(net.params), lambda: getattr(opt, "lr", None)


get_data, param_shapes, train_from_scratch, train_concise = _train.bind(_Backend())
