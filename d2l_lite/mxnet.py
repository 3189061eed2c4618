"""MXNet backend: ``from d2l_lite import mxnet as d2l``. It uses MXNet's NumPy interface, as the
reference book does: ``from mxnet import np as mnp, npx`` and ``npx.set_np()`` (run on import), so
arrays are ``mxnet.numpy.ndarray`` and ``np`` stays NumPy. MXNet computes asynchronously; the helper
waits for it (``npx.waitall``) before reading a clock or a loss."""
from ._frameworks import import_quietly

mx = import_quietly("mxnet", "mxnet")

from mxnet import autograd, gluon, npx  # noqa: E402
from mxnet import np as mnp  # noqa: E402

from . import _train  # noqa: E402
from ._plot import f_2d, grad_f_2d, plot_losses, show_trace_2d, train_2d  # noqa: E402,F401
from ._explore import explore_2d  # noqa: E402,F401
from ._report import table_row  # noqa: E402,F401

npx.set_np()

LEGACY = ("MXNet has two array interfaces: the legacy mx.nd (NDArray) and the NumPy interface mx.np "
          "(mxnet.numpy.ndarray), which d2l_lite.mxnet uses (npx.set_np()); they do not mix. Write the rule with "
          "mx.np (from mxnet import np as mnp: mnp.zeros, mnp.sqrt, ...), or convert: x.as_np_ndarray() or "
          "mnp.array(x) to mx.np, x.as_nd_ndarray() to mx.nd")


def _legacy(tree):
    """The first legacy mx.nd array in a (nested) dict/list/tuple, or None."""
    if isinstance(tree, mx.nd.NDArray) and not isinstance(tree, mnp.ndarray):
        return tree
    items = tree.values() if isinstance(tree, dict) else tree if isinstance(tree, (list, tuple)) else ()
    return next((a for a in map(_legacy, items) if a is not None), None)


def _mean(t):
    """The mean of ``t``, as a 1-element mx.np array. mx.np's ``mean`` sums with Kahan compensation, which turns an
    overflowing loss (inf) into nan (inf - inf); the legacy reducer, applied to an nd view of ``t`` (autograd
    follows it), keeps inf, as the other frameworks do, and gives the same finite values."""
    return t.as_nd_ndarray().mean().as_np_ndarray()


class _Backend(_train.Backend):
    name = "mxnet"

    @staticmethod
    def tensor(a):
        return mnp.array(a, dtype="int64" if a.dtype.kind in "iu" else "float32")

    @staticmethod
    def take(t, idx):
        return mnp.take(t, mnp.array(idx, dtype="int64"), axis=0)

    @staticmethod
    def sync():
        npx.waitall()

    @staticmethod
    def to_numpy(params):
        return [p.asnumpy().copy() for p in params]

    @staticmethod
    def scalar(t):
        return t.item()

    @staticmethod
    def dense(X, W, b):
        return mnp.dot(X, W) + b

    @staticmethod
    def relu(X):
        return npx.relu(X)

    @staticmethod
    def squared_loss(y_hat, y):
        return _mean((y_hat - y) ** 2 / 2)

    @staticmethod
    def cross_entropy(logits, y):
        return -_mean(npx.pick(npx.log_softmax(logits, axis=1), y, axis=1))

    def make_params(self, arrays):
        params = [self.tensor(a) for a in arrays]
        for p in params:
            p.attach_grad()
        return params

    def scratch_step(self, model, params, trainer_fn, states, hyperparams, data_iter):
        from ._models import loss
        first = [True]

        def step(X, y):
            with autograd.record():
                value = loss(self, model, params, X, y)
            value.backward()
            if not first[0]:
                trainer_fn(params, [p.grad for p in params], states, hyperparams)
                return
            first[0] = False
            if _legacy(states) is not None:
                raise TypeError(f"states holds a legacy mx.nd array; {LEGACY}")
            try:
                trainer_fn(params, [p.grad for p in params], states, hyperparams)
            except (TypeError, mx.base.MXNetError) as e:
                if "NDArray" not in str(e) and "legacy" not in str(e):
                    raise
                raise TypeError(f"trainer_fn failed in its first step on an mx.nd array ({e}); {LEGACY}") from e
            if _legacy(params) is not None or _legacy(states) is not None:
                raise TypeError(f"trainer_fn put a legacy mx.nd array into params or states; {LEGACY}")
        return step

    scheduler_doc = ("MXNet: an ``mx.lr_scheduler.LRScheduler``, given to the optimizer as ``lr_scheduler`` (leave "
                     "``learning_rate`` out of ``hyperparams``: MXNet overwrites the scheduler's ``base_lr`` with "
                     "any ``learning_rate``, and optimizers such as Adam have one by default, so ``train_concise`` "
                     "passes the scheduler's own ``base_lr`` as ``learning_rate``); MXNet evaluates it at "
                     "``num_update``, which is t at step t.")

    def concise(self, trainer, hyperparams, model, init, data_iter, scheduler=None):
        net, dense, it = gluon.nn.Sequential(), [], iter(init)
        for layer in model.layers:
            if layer == "relu":
                net.add(gluon.nn.Activation("relu"))
                continue
            W, b = next(it), next(it)
            dense.append(gluon.nn.Dense(W.shape[1], in_units=W.shape[0]))   # its weight is (out, in)
            net.add(dense[-1])
        net.initialize()
        for d, W, b in zip(dense, init[::2], init[1::2]):
            d.weight.set_data(self.tensor(W.T))
            d.bias.set_data(self.tensor(b))
        if model.task == "regression":
            criterion = gluon.loss.L2Loss()            # (y_hat - y)^2 / 2 per example
        else:
            criterion = gluon.loss.SoftmaxCrossEntropyLoss()   # -log softmax(z)_y per example
        if scheduler is not None:
            if not isinstance(scheduler, mx.lr_scheduler.LRScheduler):
                raise TypeError(f"scheduler must be an mx.lr_scheduler.LRScheduler, got {type(scheduler).__name__}")
            if "learning_rate" in hyperparams:
                raise ValueError("hyperparams has a 'learning_rate' and a scheduler was given: MXNet would "
                                 "overwrite the scheduler's base_lr with it; leave 'learning_rate' out")
            # Optimizer.__init__ sets scheduler.base_lr = learning_rate whenever learning_rate is not None, and
            # Adam (among others) defaults it to 0.001: pass the scheduler's own base rate so nothing changes
            hyperparams = {**hyperparams, "lr_scheduler": scheduler, "learning_rate": scheduler.base_lr}
        opt = gluon.Trainer(net.collect_params(), trainer, hyperparams)

        def last_lr():                                # step t used the schedule at num_update = t
            if scheduler is not None and opt._optimizer.num_update == 0:
                return scheduler(1)
            return opt.learning_rate

        def step(X, y):
            with autograd.record():
                value = criterion(net(X), y)
            value.backward()
            opt.step(X.shape[0])                       # gradients of the sum, divided by the batch size

        def loss(X, y):
            return _mean(criterion(net(X), y)).item()
        params = [p for d in dense for p in (d.weight.data(), d.bias.data())]
        return (step, loss, lambda X: net(X).asnumpy(), params,
                lambda: self.to_numpy([p for d in dense for p in (d.weight.data().T, d.bias.data())]), last_lr)


get_data, param_shapes, train_from_scratch, train_concise = _train.bind(_Backend())
