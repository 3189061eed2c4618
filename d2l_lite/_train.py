"""The training loop, written once for every backend.

A backend supplies a handful of small operations (make tensors, one training step,
the full-data loss); this module does the bookkeeping: data order, initial weights,
when to record the loss, timing, divergence, printing and plotting.
"""
import math
import time
from dataclasses import dataclass, field

import numpy as np

from ._checks import check_int
from ._data import DataIter

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


def init_params(feature_dim, seed=0):
    """Initial weights, drawn by NumPy so that every backend starts from the same point.

    Returns ``w`` of shape (feature_dim, 1) from N(0, 0.01^2) and ``b`` = [0.], both float32.
    """
    rng = np.random.default_rng(seed)
    w = rng.normal(0.0, 0.01, size=(feature_dim, 1)).astype(np.float32)
    return w, np.zeros(1, dtype=np.float32)


@dataclass
class TrainResult:
    """What a training run returns."""
    backend: str
    losses: list = field(default_factory=list)     # full-data loss, at the start and every 200 examples
    epochs: list = field(default_factory=list)     # the epoch (fractional) of each recorded loss
    times: list = field(default_factory=list)      # training seconds elapsed at each recorded loss
    sec_per_epoch: float = float("nan")
    diverged: bool = False
    diverged_at_epoch: float = None
    params: list = None                             # final parameters as NumPy arrays [w, b]
    figure: object = None                           # the matplotlib figure of the loss curve

    @property
    def final_loss(self):
        return self.losses[-1]

    def __repr__(self):
        state = f"diverged at epoch {self.diverged_at_epoch:.2f}" if self.diverged else \
            f"final_loss={self.final_loss:.6f}"
        return (f"TrainResult(backend={self.backend!r}, {state}, "
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


def run(backend, step, full_loss, params, export, data_iter, num_epochs, where, plot=True):
    """Train with ``step(X, y)`` for ``num_epochs`` epochs; record ``full_loss()`` every 200 examples.

    Overflow on the way to a non-finite loss is expected when a run diverges: the run reports the
    divergence itself, so NumPy's overflow warnings are not printed on top of that report.
    """
    num_epochs = check_int("num_epochs", num_epochs, 1)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return _run(backend, step, full_loss, params, export, data_iter, num_epochs, where, plot)


def _run(backend, step, full_loss, params, export, data_iter, num_epochs, where, plot):
    shapes = [tuple(p.shape) for p in params]
    check_shapes = not backend.fixed_shapes
    n = data_iter.num_examples
    res = TrainResult(backend=backend.name)

    def record(seen, elapsed):
        loss = full_loss()
        res.losses.append(loss)
        res.epochs.append(seen / n)
        res.times.append(elapsed)
        if not math.isfinite(loss):
            res.diverged, res.diverged_at_epoch = True, seen / n
        return not res.diverged

    data_iter.reset()
    sizes = data_iter.batch_sizes
    seen, elapsed = 0, 0.0
    ok = record(0, 0.0)
    start = export()
    for _ in range(num_epochs if ok else 0):
        tic = time.perf_counter()
        for (X, y), m in zip(data_iter, sizes):
            step(X, y)
            if check_shapes:
                _check_shapes(params, shapes, where)
            if start is not None:
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
        print(f"loss: {res.final_loss:.3f}, {res.sec_per_epoch:.3f} sec/epoch")
    if plot:
        from ._plot import plot_losses
        res.figure = plot_losses([res], num_epochs=num_epochs)
    return res


def bind(backend):
    """Make a backend module's ``get_data``, ``train_from_scratch`` and ``train_concise``."""
    from ._data import get_data as _get_data

    def get_data(batch_size=10, n=1500, seed=0):
        """Airfoil data: ``(data_iter, feature_dim)``, standardized, first ``n`` rows.

        Iterating ``data_iter`` yields ``(X, y)`` minibatches of this backend's tensors,
        X of shape (batch, 5) and y of shape (batch, 1), reshuffled every epoch in an
        order that depends on ``seed`` alone (the same in every backend).
        """
        return _get_data(backend, batch_size=batch_size, n=n, seed=seed)

    def train_from_scratch(trainer_fn, states, hyperparams, data_iter, feature_dim,
                           num_epochs=2, seed=0, plot=True):
        """Linear regression trained by ``trainer_fn(params, grads, states, hyperparams)``.

        ``params`` = [w, b] (w from N(0, 0.01^2) drawn by NumPy with ``seed``, b = 0), the
        loss is (y_hat - y)^2 / 2 averaged over the minibatch, everything float32.
        ``trainer_fn`` must update ``params`` and ``states`` in place.
        """
        _check_data_iter(backend, data_iter)
        if feature_dim != data_iter.feature_dim:
            raise ValueError(f"feature_dim is {feature_dim!r} but the data has "
                             f"{data_iter.feature_dim} features")
        w, b = init_params(feature_dim, check_int("seed", seed, 0))
        params = backend.make_params(w, b)
        step = backend.scratch_step(params, trainer_fn, states, hyperparams)
        return run(backend, step, lambda: backend.scratch_loss(params, data_iter.X, data_iter.y),
                   params, lambda: backend.to_numpy(params), data_iter, num_epochs, "trainer_fn", plot)

    def train_concise(trainer, hyperparams, data_iter, num_epochs=2, seed=0, plot=True):
        """The same model with the framework's own layer, loss and optimizer ``trainer``."""
        _check_data_iter(backend, data_iter)
        w, b = init_params(data_iter.feature_dim, check_int("seed", seed, 0))
        step, loss, params, export = backend.concise(trainer, dict(hyperparams), w, b)
        return run(backend, step, lambda: loss(data_iter.X, data_iter.y),
                   params, export, data_iter, num_epochs, "the optimizer", plot)

    return get_data, train_from_scratch, train_concise
