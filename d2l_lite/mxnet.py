"""MXNet backend: ``from d2l_lite import mxnet as d2l``. MXNet computes asynchronously;
the helper waits for it (``nd.waitall``) before reading a clock or a loss."""
from ._frameworks import import_quietly

mx = import_quietly("mxnet", "mxnet")

from mxnet import autograd, gluon, nd  # noqa: E402

from . import _train  # noqa: E402
from ._plot import f_2d, grad_f_2d, plot_losses, show_trace_2d, train_2d  # noqa: E402,F401
from ._report import table_row  # noqa: E402,F401


class _Backend(_train.Backend):
    name = "mxnet"

    @staticmethod
    def tensor(a):
        return nd.array(a, dtype="float32")

    @staticmethod
    def take(t, idx):
        return nd.take(t, nd.array(idx, dtype="int64"), axis=0)

    @staticmethod
    def sync():
        nd.waitall()

    @staticmethod
    def to_numpy(params):
        return [p.asnumpy().copy() for p in params]

    def make_params(self, w, b):
        params = [self.tensor(w), self.tensor(b)]
        for p in params:
            p.attach_grad()
        return params

    def scratch_step(self, params, trainer_fn, states, hyperparams):
        def step(X, y):
            w, b = params
            with autograd.record():
                loss = ((nd.dot(X, w) + b - y) ** 2 / 2).mean()
            loss.backward()
            trainer_fn(params, [p.grad for p in params], states, hyperparams)
        return step

    @staticmethod
    def scratch_loss(params, X, y):
        w, b = params
        return ((nd.dot(X, w) + b - y) ** 2 / 2).mean().asscalar().item()

    def concise(self, trainer, hyperparams, w, b):
        net = gluon.nn.Dense(1, in_units=w.shape[0])
        net.initialize()
        net.weight.set_data(self.tensor(w.T))
        net.bias.set_data(self.tensor(b))
        l2 = gluon.loss.L2Loss()                      # (y_hat - y)^2 / 2 per example
        opt = gluon.Trainer(net.collect_params(), trainer, hyperparams)

        def step(X, y):
            with autograd.record():
                loss = l2(net(X), y)
            loss.backward()
            opt.step(X.shape[0])                      # gradients of the sum, divided by the batch size

        def loss(X, y):
            return l2(net(X), y).mean().asscalar().item()
        params = [net.weight.data(), net.bias.data()]
        return step, loss, params, lambda: self.to_numpy([net.weight.data().T, net.bias.data()])


get_data, train_from_scratch, train_concise = _train.bind(_Backend())
