"""Plotting and the 2-D test problem; NumPy and matplotlib only, shared by every backend.

matplotlib is imported inside the functions, so ``import d2l_lite`` stays fast.
"""
import numpy as np

from ._checks import check_int

FIGSIZE = (4.5, 3.0)


def _figure(ncols=1, figsize=None):
    from matplotlib.figure import Figure       # not pyplot: figures are not kept alive globally
    fig = Figure(figsize=figsize or (FIGSIZE[0] * ncols, FIGSIZE[1]), layout="constrained")
    axes = fig.subplots(1, ncols, squeeze=False)[0]
    return fig, axes


def show(fig):
    """Display ``fig`` as a PNG inside Jupyter; outside it, do nothing (the caller keeps the figure).

    A bare ``Figure`` (not made by pyplot) has no rich display of its own, so it is rendered here.
    """
    try:
        from IPython import get_ipython
        from IPython.display import Image, display
    except ImportError:
        return fig
    if get_ipython() is not None:
        import io
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100)
        display(Image(data=buf.getvalue(), format="png"))
    return fig


def _varies(lrs):
    known = [v for v in lrs if v is not None]
    return len(set(known)) > 1


def plot_losses(results, labels=None, x="epochs", num_epochs=None, title=None, show_lr=None):
    """Loss curves of one or more :class:`TrainResult` against epochs (or ``x="times"``: seconds).

    Results with a test part (classifiers) get a second panel: the test accuracy at the same points.
    ``show_lr`` adds a panel with the learning rate at the same points; by default it is shown when
    the rate changes during a run.
    """
    if x not in ("epochs", "times"):
        raise ValueError(f"x must be 'epochs' or 'times', got {x!r}")
    labels = labels or [None] * len(results)
    if len(labels) != len(results):
        raise ValueError(f"got {len(results)} results but {len(labels)} labels")
    with_accuracy = any(r.test_accuracies for r in results)
    if show_lr is None:
        show_lr = any(_varies(r.lrs) for r in results)
    panels = [("losses", "training loss" if with_accuracy or show_lr else "loss")]
    if with_accuracy:
        panels.append(("test_accuracies", "test accuracy"))
    if show_lr:
        panels.append(("lrs", "learning rate"))
    fig, axes = _figure(len(panels))
    for ax, (series, ylabel) in zip(axes, panels):
        for r, label in zip(results, labels):
            ys = getattr(r, series)
            if ys and any(v is not None for v in ys):
                ax.plot(getattr(r, x)[:len(ys)], [np.nan if v is None else v for v in ys], label=label)
        ax.set_xlabel("epoch" if x == "epochs" else "training time (s)")
        ax.set_ylabel(ylabel)
        if x == "times":
            ax.set_xscale("log")
        if x == "epochs" and num_epochs:
            ax.set_xlim(0, num_epochs)
    if with_accuracy:
        axes[0].set_yscale("log")
    if any(labels):
        axes[0].legend()
    if title:
        (fig.suptitle if len(panels) > 1 else axes[0].set_title)(title)
    return show(fig)


# --- the 2-D test function f(x1, x2) = 0.1 x1^2 + 2 x2^2 ------------------------------------

def f_2d(x1, x2):
    """The ill-conditioned quadratic used for 2-D traces."""
    return 0.1 * x1 ** 2 + 2 * x2 ** 2


def grad_f_2d(x):
    """Gradient of :func:`f_2d` at the point ``x`` (array of shape (2,))."""
    return np.array([0.2 * x[0], 4.0 * x[1]])


def train_2d(step, steps=20, x0=(-5.0, -2.0), grad=grad_f_2d, verbose=True):
    """Run an update rule on the 2-D problem and return its trajectory, shape (steps + 1, 2).

    ``step(x, g, state)`` gets the point ``x``, the gradient ``g`` there (NumPy arrays of
    shape (2,)) and a dict ``state`` it may keep anything in (empty at the start); it
    returns the next point. A trajectory that leaves the finite numbers stops there.
    """
    steps = check_int("steps", steps, 1)
    x, state = np.asarray(x0, dtype=np.float64), {}
    trace = [x]
    for t in range(1, steps + 1):
        x = np.asarray(step(x, grad(x), state), dtype=np.float64)
        if x.shape != (2,):
            raise ValueError(f"step must return a point of shape (2,), got shape {x.shape}")
        trace.append(x)
        if not np.all(np.isfinite(x)):
            if verbose:
                print(f"diverged at step {t}: x = {x}; the learning rate may be too large")
            break
    if verbose and np.all(np.isfinite(x)):
        print(f"step {len(trace) - 1}, x1: {x[0]:f}, x2: {x[1]:f}")
    return np.array(trace)


def show_trace_2d(traces, titles=None, f=f_2d):
    """Draw one or more trajectories (side by side) over the contours of ``f``."""
    traces = [traces] if isinstance(traces, np.ndarray) else list(traces)
    titles = titles or [None] * len(traces)
    fig, axes = _figure(len(traces), figsize=(3.6 * len(traces), 2.8))
    finite = np.concatenate([t[np.all(np.isfinite(t), axis=1)] for t in traces])
    lo = np.minimum(finite.min(axis=0), [-5.5, -3.0]) - 0.5
    hi = np.maximum(finite.max(axis=0), [1.0, 3.0]) + 0.5
    x1, x2 = np.meshgrid(np.linspace(lo[0], hi[0], 200), np.linspace(lo[1], hi[1], 200))
    for ax, t, title in zip(axes, traces, titles):
        ax.contour(x1, x2, f(x1, x2), levels=12, colors="#1f77b4", linewidths=0.6)
        ax.plot(t[:, 0], t[:, 1], "-o", color="#ff7f0e", markersize=3)
        ax.set_xlabel("x1")
        ax.set_ylabel("x2")
        if title:
            ax.set_title(title, fontsize=9)
    return show(fig)
