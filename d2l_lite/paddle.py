"""PaddlePaddle backend: ``from d2l_lite import paddle as d2l``."""
from ._frameworks import import_quietly

paddle = import_quietly("paddle", "paddle")

from . import _train  # noqa: E402
from ._data import batch_sizes  # noqa: E402
from ._plot import f_2d, grad_f_2d, plot_losses, show_trace_2d, train_2d  # noqa: E402,F401
from ._explore import explore_2d  # noqa: E402,F401
from ._report import table_row  # noqa: E402,F401


class _Backend(_train.Backend):
    name = "paddle"

    @staticmethod
    def tensor(a):
        return paddle.to_tensor(a, dtype="int64" if a.dtype.kind in "iu" else "float32")

    @staticmethod
    def take(t, idx):
        return paddle.gather(t, paddle.to_tensor(idx))

    @staticmethod
    def split(t, batch_size):
        return paddle.split(t, batch_sizes(t.shape[0], batch_size))

    @staticmethod
    def to_numpy(params):
        return [p.numpy().copy() for p in params]

    @staticmethod
    def scalar(t):
        return t.item()

    @staticmethod
    def relu(X):
        return paddle.nn.functional.relu(X)

    @staticmethod
    def cross_entropy(logits, y):
        logp = paddle.nn.functional.log_softmax(logits, axis=1)
        return -paddle.take_along_axis(logp, y.unsqueeze(1), axis=1).mean()

    def make_params(self, arrays):
        params = [self.tensor(a) for a in arrays]
        for p in params:
            p.stop_gradient = False
        return params

    def compile(self, fn, data_iter, labels=True):
        return paddle.no_grad()(fn)

    def scratch_step(self, model, params, trainer_fn, states, hyperparams, data_iter):
        from ._models import loss

        def step(X, y):
            loss(self, model, params, X, y).backward()
            with paddle.no_grad():                    # the update itself is not part of the graph
                trainer_fn(params, [p.grad for p in params], states, hyperparams)
            for p in params:
                p.clear_gradient()
        return step

    scheduler_doc = ("PaddlePaddle: a ``paddle.optimizer.lr.LRScheduler``, given to the optimizer as its "
                     "``learning_rate`` (leave ``learning_rate`` out of ``hyperparams``); ``scheduler.step()`` "
                     "follows every ``optimizer.step()``.")

    def concise(self, trainer, hyperparams, model, init, data_iter, scheduler=None):
        layers, it = [], iter(init)
        for layer in model.layers:
            if layer == "relu":
                layers.append(paddle.nn.ReLU())
                continue
            W, b = next(it), next(it)
            dense = paddle.nn.Linear(*W.shape)        # its weight is (in, out), like ours
            dense.weight.set_value(W)
            dense.bias.set_value(b)
            layers.append(dense)
        net = paddle.nn.Sequential(*layers)
        if model.task == "regression":
            mse = paddle.nn.MSELoss()                 # mean of (y_hat - y)^2; halve it to match
            criterion = lambda y_hat, y: mse(y_hat, y) / 2  # noqa: E731
        else:
            criterion = paddle.nn.CrossEntropyLoss()  # softmax cross-entropy, averaged
        if scheduler is not None:
            if not isinstance(scheduler, paddle.optimizer.lr.LRScheduler):
                raise TypeError("scheduler must be a paddle.optimizer.lr.LRScheduler, got "
                                f"{type(scheduler).__name__}")
            if "learning_rate" in hyperparams:
                raise ValueError("hyperparams has a 'learning_rate' and a scheduler was given: the scheduler is "
                                 "the optimizer's learning_rate, so leave 'learning_rate' out of hyperparams")
            hyperparams = {**hyperparams, "learning_rate": scheduler}
        opt = trainer(parameters=net.parameters(), **hyperparams)
        used = [None]                                 # the rate of the last step taken

        def step(X, y):
            criterion(net(X), y).backward()
            if scheduler is not None:
                used[0] = opt.get_lr()
            opt.step()
            opt.clear_grad()
            if scheduler is not None:
                scheduler.step()

        @paddle.no_grad()
        def loss(X, y):
            return criterion(net(X), y).item()

        @paddle.no_grad()
        def logits(X):
            return net(X).numpy()
        params = [p for d in layers if isinstance(d, paddle.nn.Linear) for p in (d.weight, d.bias)]
        return step, loss, logits, params, lambda: self.to_numpy(params), \
            lambda: opt.get_lr() if used[0] is None else used[0]


get_data, param_shapes, train_from_scratch, train_concise = _train.bind(_Backend())
