"""The training loop, written once for every backend.

A backend supplies a handful of small operations (make tensors, the layers and losses of
:mod:`d2l_lite._models`, one training step, evaluation); this module does the bookkeeping:
data order, initial weights, when to record the loss and the test accuracy, timing,
divergence, printing and plotting.
"""
import math
import time
from dataclasses import dataclass, field

import numpy as np

from . import _memo, _models
from ._checks import check_int
from ._data import DataIter
from ._schedule import check_lr, scratch_schedule

RECORD_EVERY = 200      # examples between two recorded full-data losses


class Backend:
    """What a backend module supplies to the shared loop; the defaults suit most frameworks."""
    name = None
    fixed_shapes = False     # True where parameters cannot change shape at all (TF variables)

    @staticmethod
    def sync():
        """Wait for queued work to finish (asynchronous frameworks), before reading a clock."""

    @staticmethod
    def split(t, batch_size):
        """The minibatches of one (already shuffled) epoch, in order."""
        return [t[i:i + batch_size] for i in range(0, t.shape[0], batch_size)]

    @staticmethod
    def dense(X, W, b):
        return X @ W + b

    @staticmethod
    def squared_loss(y_hat, y):
        return ((y_hat - y) ** 2 / 2).mean()

    def compile(self, fn, data_iter, labels=True):
        """``fn(X, y)`` (``fn(X)`` if not ``labels``) made fast for evaluation in this framework
        (TensorFlow compiles it, PyTorch runs it without a graph); as it is by default."""
        return fn

    scheduler_doc = ""        # what ``train_concise(scheduler=...)`` takes in this framework

    @staticmethod
    def lr_holder(hyperparams, lr):
        """Put the learning rate ``lr`` into ``hyperparams["lr"]``; return a function that changes it."""
        hyperparams["lr"] = lr
        return lambda value: hyperparams.__setitem__("lr", value)


def init_params(feature_dim, seed=0):
    """Linear regression's initial weights: ``w`` (feature_dim, 1) from N(0, 0.01^2), ``b`` = [0.]."""
    return tuple(_models.init_params(_models.MODELS["linreg"], feature_dim, 1, seed))


@dataclass
class TrainResult:
    """What a training run returns."""
    backend: str
    model: str = "linreg"
    losses: list = field(default_factory=list)     # training-set loss, at the start and every 200 examples
    epochs: list = field(default_factory=list)     # the epoch (fractional) of each recorded loss
    times: list = field(default_factory=list)      # training seconds elapsed at each recorded loss
    test_accuracies: list = field(default_factory=list)   # test accuracy at the same points (classifiers)
    test_corrects: list = field(default_factory=list)     # correctly classified test examples, likewise
    lrs: list = field(default_factory=list)         # learning rate of the last step before each point
                                                    # (at the start: the first step's; None: unknown)
    num_test: int = 0                               # size of the test part (0: no test part)
    sec_per_epoch: float = float("nan")
    diverged: bool = False
    diverged_at_epoch: float = None
    params: list = None                             # final parameters as NumPy arrays [W1, b1, W2, b2, ...]
    figure: object = None                           # the matplotlib figure of the loss (and accuracy) curve

    @property
    def final_loss(self):
        return self.losses[-1]

    @property
    def test_accuracy(self):
        """The final test accuracy (None without a test part)."""
        return self.test_accuracies[-1] if self.test_accuracies else None

    @property
    def test_correct(self):
        """The final number of correctly classified test examples (None without a test part)."""
        return self.test_corrects[-1] if self.test_corrects else None

    def __repr__(self):
        state = f"diverged at epoch {self.diverged_at_epoch:.2f}" if self.diverged else \
            f"final_loss={self.final_loss:.6f}"
        if self.test_accuracies and not self.diverged:
            state += f", test_accuracy={self.test_accuracy:.4f}"
        return (f"TrainResult(backend={self.backend!r}, model={self.model!r}, {state}, "
                f"sec_per_epoch={self.sec_per_epoch:.4f}, {len(self.losses)} recorded losses)")


def _check_data_iter(backend, data_iter):
    if not isinstance(data_iter, DataIter):
        raise TypeError(f"data_iter must come from get_data(), got {type(data_iter).__name__}")
    if data_iter.backend.name != backend.name:
        raise ValueError(f"data_iter holds {data_iter.backend.name} tensors but this is the "
                         f"{backend.name} backend; make it with this backend's get_data()")


def _check_moved(before, after, where):
    """A rule that rebinds a name (``p = p - ...``) instead of updating in place trains nothing."""
    if all(np.array_equal(a, b) for a, b in zip(before, after)):
        raise ValueError(f"{where} left every parameter unchanged in the first step; update params in place "
                         "(NumPy/PyTorch: p -= ..., TensorFlow: p.assign_sub(...), MXNet: p[:] = ..., "
                         "PaddlePaddle: p[:] = ... or p.subtract_(...)), not by rebinding a name")


def _check_shapes(params, shapes, where):
    for i, (p, s) in enumerate(zip(params, shapes)):
        if tuple(p.shape) != s:
            raise ValueError(f"{where} changed the shape of parameter {i} from {s} to {tuple(p.shape)}; "
                             "an update rule must keep every parameter's shape (update it in place)")


def run(backend, step, full_loss, logits, params, export, data_iter, num_epochs, where, plot=True,
        model="linreg", before_step=None, last_lr=None):
    """Train with ``step(X, y)`` for ``num_epochs`` epochs; record ``full_loss()`` every 200 examples,
    and, where the data have a test part, the test accuracy of ``logits(test_X)`` (NumPy) there too.

    The learning rate is recorded at the same points: ``before_step(t)`` sets and returns the rate of
    step t (a from-scratch schedule); otherwise ``last_lr()`` reads the rate of the last step taken
    (before any step: of the first one) from the framework's optimizer.

    Overflow on the way to a non-finite loss is expected when a run diverges: the run reports the
    divergence itself, so NumPy's overflow warnings are not printed on top of that report.
    """
    num_epochs = check_int("num_epochs", num_epochs, 1)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return _run(backend, step, full_loss, logits, params, export, data_iter, num_epochs, where, plot,
                    model, before_step, last_lr)


def _run(backend, step, full_loss, logits, params, export, data_iter, num_epochs, where, plot, model,
         before_step, last_lr):
    shapes = [tuple(p.shape) for p in params]
    check_shapes = not backend.fixed_shapes
    n = data_iter.num_examples
    has_test = data_iter.test_X is not None
    res = TrainResult(backend=backend.name, model=model, num_test=len(data_iter.test_labels) if has_test else 0)
    if before_step is None:
        read = last_lr or (lambda: None)
    else:
        read = lambda: lr_now  # noqa: E731

    def lr_of(t):
        """The rate of step t, just taken (t = 0: of the first step), checked."""
        lr = read()
        return None if lr is None else check_lr(lr, max(t, 1), "the scheduler")

    def record(seen, elapsed):
        loss = full_loss()
        res.lrs.append(lr_of(t))
        res.losses.append(loss)
        res.epochs.append(seen / n)
        res.times.append(elapsed)
        if has_test:
            correct = int((logits(data_iter.test_X).argmax(axis=1) == data_iter.test_labels).sum())
            res.test_corrects.append(correct)
            res.test_accuracies.append(correct / res.num_test)
        if not math.isfinite(loss):
            res.diverged, res.diverged_at_epoch = True, seen / n
        return not res.diverged

    data_iter.reset()
    sizes = data_iter.batch_sizes
    seen, elapsed, t = 0, 0.0, 0
    lr_now = before_step(1) if before_step else None
    ok = record(0, 0.0)
    start = export()
    for _ in range(num_epochs if ok else 0):
        tic = time.perf_counter()
        for (X, y), m in zip(data_iter, sizes):
            t += 1
            if before_step is not None:
                lr_now = before_step(t)
            step(X, y)
            if check_shapes:
                _check_shapes(params, shapes, where)
            if start is not None and lr_of(t) != 0:      # a step with rate 0 rightly moves nothing
                _check_moved(start, export(), where)
                start = None
            before, seen = seen, seen + m
            if seen // RECORD_EVERY > before // RECORD_EVERY:
                backend.sync()
                elapsed += time.perf_counter() - tic
                ok = record(seen, elapsed)
                if not ok:
                    break
                tic = time.perf_counter()
        if not ok:
            break
        backend.sync()
        elapsed += time.perf_counter() - tic
    if ok and res.epochs[-1] != seen / n:
        record(seen, elapsed)

    res.params = export()
    res.sec_per_epoch = elapsed / max(seen / n, 1e-12) if seen else float("nan")
    if res.diverged:
        print(f"diverged: the loss became {res.losses[-1]} at epoch {res.diverged_at_epoch:.2f} "
              f"(after {seen} examples); the learning rate may be too large")
    else:
        accuracy = f", test accuracy: {res.test_accuracy:.3f}" if has_test else ""
        print(f"loss: {res.final_loss:.3f}{accuracy}, {res.sec_per_epoch:.3f} sec/epoch")
    if plot:
        from ._plot import plot_losses
        res.figure = plot_losses([res], num_epochs=num_epochs)
    return res


def bind(backend):
    """Make a backend module's ``get_data``, ``param_shapes``, ``train_from_scratch`` and ``train_concise``."""
    from ._data import get_data as _get_data

    def get_data(name="airfoil", batch_size=None, n=None, seed=0):
        """A data set: ``(data_iter, feature_dim)``. Iterating ``data_iter`` yields ``(X, y)`` minibatches
        of this backend's tensors, reshuffled every epoch in an order that depends on ``seed`` alone
        (the same in every backend).

        * ``"airfoil"`` (the default): the first ``n`` (1500) rows, standardized; X (batch, 5) and
          y (batch, 1), float32; ``batch_size`` 10 unless given.
        * ``"digits"``: the 1438 training images of a fixed stratified split (the first ``n``), pixels
          scaled to [0, 1]; X (batch, 64) float32 and y (batch,) int64 digits; ``batch_size`` 32 unless
          given. The 359 test images are ``data_iter.test_X`` and ``data_iter.test_y``.
        """
        return _get_data(backend, name=name, batch_size=batch_size, n=n, seed=seed)

    def param_shapes(data_iter, model=None):
        """The shapes of ``params``, in order (``[W1, b1, W2, b2, ...]``), for ``model`` on these data."""
        _check_data_iter(backend, data_iter)
        m = _models.get_model(model, data_iter)
        return _models.param_shapes(m, data_iter.feature_dim, data_iter.num_outputs)

    def train_from_scratch(trainer_fn, states, hyperparams, data_iter, feature_dim,
                           num_epochs=2, seed=0, plot=True, model=None, schedule=None):
        """Train ``model`` with the update rule ``trainer_fn(params, grads, states, hyperparams)``.

        ``model`` defaults to the data set's (airfoil: ``"linreg"``, digits: ``"mlp"``). ``params`` is
        ``[W1, b1, W2, b2, ...]`` (see ``param_shapes``): weights drawn by NumPy from ``seed`` (linear
        models N(0, 0.01^2), the MLP He-initialized), biases zero, everything float32; the loss is
        averaged over the minibatch. ``trainer_fn`` must update ``params`` and ``states`` in place.

        ``schedule(t) -> lr`` (t = 1, 2, ...), if given, sets ``hyperparams["lr"]`` before every step
        (leave ``lr`` out of ``hyperparams``); the result records the rate in ``lrs``.
        """
        _check_data_iter(backend, data_iter)
        if feature_dim != data_iter.feature_dim:
            raise ValueError(f"feature_dim is {feature_dim!r} but the data has "
                             f"{data_iter.feature_dim} features")
        m = _models.get_model(model, data_iter)
        init = _models.init_params(m, feature_dim, data_iter.num_outputs, check_int("seed", seed, 0))
        params = backend.make_params(init)
        hyperparams, before_step, lr = scratch_schedule(backend, schedule, hyperparams)
        step = backend.scratch_step(m, params, trainer_fn, states, hyperparams, data_iter)
        loss = backend.compile(lambda X, y: _models.loss(backend, m, params, X, y), data_iter)
        logits = backend.compile(lambda X: _models.forward(backend, m, params, X), data_iter, labels=False)
        return run(backend, step, lambda: backend.scalar(loss(data_iter.X, data_iter.y)),
                   lambda X: backend.to_numpy([logits(X)])[0], params, lambda: backend.to_numpy(params),
                   data_iter, num_epochs, "trainer_fn", plot, m.name, before_step, lambda: lr)

    def train_concise(trainer, hyperparams, data_iter, num_epochs=2, seed=0, plot=True, model=None,
                      scheduler=None):
        """The same model built from the framework's own layers and loss, trained by its optimizer
        ``trainer``; the parameters start from the same NumPy values as ``train_from_scratch``'s.

        ``scheduler``, if given, is the framework's own learning-rate schedule, stepped once per
        optimizer step (not per epoch); what it is in each framework is below. The result records the
        rate of each recorded step in ``lrs``.
        """
        _check_data_iter(backend, data_iter)
        m = _models.get_model(model, data_iter)
        init = _models.init_params(m, data_iter.feature_dim, data_iter.num_outputs, check_int("seed", seed, 0))

        def train():
            step, loss, logits, params, export, last_lr = backend.concise(trainer, dict(hyperparams), m, init,
                                                                          data_iter, scheduler)
            return run(backend, step, lambda: loss(data_iter.X, data_iter.y), logits,
                       params, export, data_iter, num_epochs, "the optimizer", plot, m.name, None, last_lr)
        k = _memo.key(backend.name, trainer, dict(hyperparams), data_iter, num_epochs, seed, m.name, scheduler, plot)
        return train() if k is None else _memo.cached_run(k, data_iter, train)

    train_concise.__doc__ += "\n        " + backend.scheduler_doc + "\n"

    return get_data, param_shapes, train_from_scratch, train_concise
