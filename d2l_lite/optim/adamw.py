"""Weight decay, two ways: coupled L2 regularization and decoupled weight decay (AdamW).

Both are small wrappers around any rule of this package, in the style of optax (explicit,
composable), plus ``AdamW``, the decoupled wrapper around the textbook Adam:

* ``L2(inner, wd)``: the inner rule sees the gradient of ``loss + wd/2 ||x||^2``, i.e.
  ``g + wd x``; momentum accumulates the term and an adaptive rule divides it by its sqrt(s).
* ``Decoupled(inner, wd)``: ``x <- x - lr wd x`` outside the inner rule, then the inner step
  (Loshchilov and Hutter, 2019). Options name what the frameworks change: whether the shrink
  is multiplied by the learning rate (``decay_times_lr``) and whether it comes before the
  inner step, from x_{t-1}, or after it (``decay_order``).
* ``AdamW(...)``: ``Decoupled(Adam(...), wd)`` with Adam's hyperparameters and options.

``mask`` says which parameters are decayed: ``None`` (all of them, the frameworks' default),
a function ``mask(p) -> bool`` of the parameter array (``lambda p: p.ndim > 1`` spares the
biases) or a sequence of booleans, one per parameter.
"""
import numpy as np

from ._checks import _check, _choice
from ._classic import Adam


def _decayed(mask, params):
    """Which of ``params`` the decay applies to, as a list of booleans (``mask`` checked)."""
    if mask is None:
        return [True] * len(params)
    if callable(mask):
        flags = [mask(p) for p in params]
    else:
        flags = list(mask)
        if len(flags) != len(params):
            raise ValueError(f"mask has {len(flags)} entries but there are {len(params)} parameters; "
                             "give one boolean per parameter, or a function mask(p) -> bool")
    for i, f in enumerate(flags):
        if not isinstance(f, (bool, np.bool_)):
            raise TypeError(f"mask must give a bool for every parameter, got {f!r} for parameter {i}")
    return [bool(f) for f in flags]


def _check_mask(mask):
    if mask is not None and not callable(mask) and not isinstance(mask, (list, tuple)):
        raise TypeError("mask must be None (decay every parameter), a function mask(p) -> bool or a "
                        f"list of booleans, one per parameter; got {type(mask).__name__}")
    return mask


def _check_inner(inner):
    if not (hasattr(inner, "init") and hasattr(inner, "update")) or isinstance(inner, type):
        raise TypeError("inner must be an optimizer instance with init(params) and update(params, grads, "
                        f"state), e.g. optim.Adam(lr=0.001); got {inner!r}")
    return inner


class _Wrapper:
    """Shares the inner rule's state and its learning rate (a schedule that sets ``opt.lr`` sets it)."""

    def __init__(self, inner, wd, mask):
        self.inner = _check_inner(inner)
        self.wd = _check("wd", wd, 0)
        self.mask = _check_mask(mask)

    @property
    def lr(self):
        return getattr(self.inner, "lr", 1.0)

    @lr.setter
    def lr(self, value):
        self.inner.lr = value

    def init(self, params):
        return {"inner": self.inner.init(params), "decayed": _decayed(self.mask, params)}


class L2(_Wrapper):
    """Coupled L2 regularization: ``inner`` sees ``g + wd x`` for every decayed parameter x.

    The penalty is ``wd/2 ||x||^2`` added to the loss; the reported training loss does not include it.
    """

    def __init__(self, inner, wd, mask=None):
        super().__init__(inner, wd, mask)

    def update(self, params, grads, state):
        grads = [g + self.wd * p if d else g for p, g, d in zip(params, grads, state["decayed"])]
        self.inner.update(params, grads, state["inner"])


class Decoupled(_Wrapper):
    """Decoupled weight decay around ``inner``: ``x <- x - c x`` with ``c = lr wd``.

    ``decay_times_lr=False``: ``c = wd``, independent of the learning rate (the paper multiplies
    it by the schedule's multiplier only, as MXNet's ``adamw_update`` does with its ``eta``).
    ``decay_order="before"`` (PyTorch, Keras, PaddlePaddle, the paper): the shrink uses x_{t-1},
    ``x_t = (1 - c) x_{t-1} - step``; ``"after"``: ``x_t = (1 - c) (x_{t-1} - step)``, a shrink
    written by hand after the optimizer's step. The two differ by ``c * step``.
    """

    def __init__(self, inner, wd, decay_times_lr=True, decay_order="before", mask=None):
        super().__init__(inner, wd, mask)
        self.decay_times_lr = _choice("decay_times_lr", decay_times_lr, (True, False))
        self.decay_order = _choice("decay_order", decay_order, ("before", "after"))

    def _shrink(self, params, decayed):
        c = self.lr * self.wd if self.decay_times_lr else self.wd
        for p, d in zip(params, decayed):
            if d:
                p -= c * p

    def update(self, params, grads, state):
        if self.decay_order == "before":
            self._shrink(params, state["decayed"])
        self.inner.update(params, grads, state["inner"])
        if self.decay_order == "after":
            self._shrink(params, state["decayed"])


class AdamW(Decoupled):
    """AdamW: the textbook Adam step plus decoupled weight decay.

    x_t = x_{t-1} - lr wd x_{t-1} - lr v_hat / (sqrt(s_hat) + eps)   (the defaults)

    ``eps_hat=True``: Adam's eps added to sqrt(s) instead of sqrt(s_hat) (Keras, see ``Adam``);
    ``decay_times_lr``, ``decay_order`` and ``mask`` as in ``Decoupled``. The default wd, 0.01, is
    PyTorch's and PaddlePaddle's (Keras: 0.004).
    """

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, wd=0.01, eps_hat=False,
                 decay_times_lr=True, decay_order="before", mask=None):
        super().__init__(Adam(lr=lr, beta1=beta1, beta2=beta2, eps=eps, eps_hat=eps_hat), wd,
                         decay_times_lr=decay_times_lr, decay_order=decay_order, mask=mask)
