"""PaddlePaddle backend: ``from d2l_lite import paddle as d2l``."""
from ._frameworks import import_quietly

paddle = import_quietly("paddle", "paddle")

from . import _train  # noqa: E402
from ._data import batch_sizes  # noqa: E402
from ._plot import f_2d, grad_f_2d, plot_losses, show_trace_2d, train_2d  # noqa: E402,F401
from ._report import table_row  # noqa: E402,F401


class _Backend(_train.Backend):
    name = "paddle"

    @staticmethod
    def tensor(a):
        return paddle.to_tensor(a, dtype="float32")

    @staticmethod
    def take(t, idx):
        return paddle.gather(t, paddle.to_tensor(idx))

    @staticmethod
    def split(t, batch_size):
        return paddle.split(t, batch_sizes(t.shape[0], batch_size))

    @staticmethod
    def to_numpy(params):
        return [p.numpy().copy() for p in params]

    def make_params(self, w, b):
        params = [self.tensor(w), self.tensor(b)]
        for p in params:
            p.stop_gradient = False
        return params

    def scratch_step(self, params, trainer_fn, states, hyperparams):
        def step(X, y):
            w, b = params
            loss = ((X @ w + b - y) ** 2 / 2).mean()
            loss.backward()
            with paddle.no_grad():                    # the update itself is not part of the graph
                trainer_fn(params, [p.grad for p in params], states, hyperparams)
            for p in params:
                p.clear_gradient()
        return step

    @staticmethod
    @paddle.no_grad()
    def scratch_loss(params, X, y):
        w, b = params
        return ((X @ w + b - y) ** 2 / 2).mean().item()

    def concise(self, trainer, hyperparams, w, b):
        net = paddle.nn.Linear(w.shape[0], 1)         # its weight is (in, out), like our w
        net.weight.set_value(w)
        net.bias.set_value(b)
        mse = paddle.nn.MSELoss()                     # mean of (y_hat - y)^2; halve it to match
        opt = trainer(parameters=net.parameters(), **hyperparams)

        def step(X, y):
            (mse(net(X), y) / 2).backward()
            opt.step()
            opt.clear_grad()

        @paddle.no_grad()
        def loss(X, y):
            return (mse(net(X), y) / 2).item()
        params = [net.weight, net.bias]
        return step, loss, params, lambda: self.to_numpy(params)


get_data, train_from_scratch, train_concise = _train.bind(_Backend())
