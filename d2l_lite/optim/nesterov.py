"""NAdam (Dozat, 2016): Adam whose step takes Nesterov's look-ahead in the first moment.

Nesterov momentum for SGD is an option of ``SGD`` (``nesterov=True``); the book derives both in
its section on Nesterov momentum and NAdam (``sec-nesterov``).
"""
import numpy as np

from ._checks import _check, _choice, _zeros


class NAdam:
    """NAdam with the momentum schedule of Dozat (2016), the form the frameworks implement.

    v <- beta1 v + (1 - beta1) g;   s <- beta2 s + (1 - beta2) g^2   (Adam's moments)
    mu_t = beta1 (1 - 0.5 * 0.96^(t psi)),  psi = ``momentum_decay``  (``momentum_schedule=True``)
    mu_t = beta1 for every t                                         (``momentum_schedule=False``,
                                                                      the simple form; psi unused)
    P_t = mu_1 mu_2 ... mu_t   (the product of the mu's: the first moment's bias correction)
    v_bar = mu_{t+1} v / (1 - P_{t+1}) + (1 - mu_t) g / (1 - P_t)
    x <- x - lr v_bar / (sqrt(s / (1 - beta2^t)) + eps)

    ``mu_product="per_step"`` (PyTorch, Keras, Paddle): P_t advances once per step.
    ``mu_product="per_update"`` (MXNet's ``Nadam``): one product for the whole optimizer, advanced by
    mu_t at every parameter's update, so with k parameters it advances k times per step and the
    i-th parameter updated (from 0) at step t uses P_{t-1}^k mu_t^(i+1) instead of P_t.
    ``order`` (with ``"per_update"`` only): the order in which the parameters are updated, as indices into
    ``params``; the default is their order in ``params``. Gluon's Trainer updates parameters sorted by
    name, so each layer's bias before its weight: ``order=(1, 0, 3, 2)`` for [W1, b1, W2, b2].

    Keras's ``Nadam`` is ``momentum_decay=1`` (its schedule is 0.96^t, with no argument to change it).
    """

    def __init__(self, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8, momentum_decay=4e-3,
                 momentum_schedule=True, mu_product="per_step", order=None):
        self.lr = _check("lr", lr, 0, low_open=True)
        self.beta1 = _check("beta1", beta1, 0, 1)
        self.beta2 = _check("beta2", beta2, 0, 1)
        self.eps = _check("eps", eps, 0)
        self.momentum_decay = _check("momentum_decay", momentum_decay, 0)
        _choice("momentum_schedule", momentum_schedule, (False, True))
        self.momentum_schedule = bool(momentum_schedule)
        self.mu_product = _choice("mu_product", mu_product, ("per_step", "per_update"))
        if order is not None:
            if self.mu_product != "per_update":
                raise ValueError("order only matters with mu_product='per_update' (one product advanced at "
                                 "every parameter's update); with 'per_step' leave it out")
            ok = isinstance(order, (list, tuple)) and all(
                isinstance(i, int) and not isinstance(i, bool) for i in order)
            if not ok or sorted(order) != list(range(len(order))):
                raise ValueError(f"order must be a permutation of 0, ..., k - 1 (list or tuple of ints), got {order!r}")
            order = tuple(order)
        self.order = order

    def mu(self, t):
        """The momentum coefficient mu_t of step t."""
        if not self.momentum_schedule:
            return self.beta1
        return self.beta1 * (1.0 - 0.5 * 0.96 ** (t * self.momentum_decay))

    def init(self, params):
        return {"t": 0, "v": _zeros(params), "s": _zeros(params), "mu_product": 1.0}

    def update(self, params, grads, state):
        state["t"] += 1
        t = state["t"]
        mu, mu_next = self.mu(t), self.mu(t + 1)
        c2 = 1 - self.beta2 ** t
        if self.mu_product == "per_step":
            state["mu_product"] *= mu
        order = range(len(params)) if self.order is None else self.order
        if len(order) != len(params):
            raise ValueError(f"order has {len(order)} entries but there are {len(params)} parameters")
        for i in order:
            p, g, v, s = params[i], grads[i], state["v"][i], state["s"][i]
            if self.mu_product == "per_update":
                state["mu_product"] *= mu
            prod = state["mu_product"]
            v[:] = self.beta1 * v + (1 - self.beta1) * g
            s[:] = self.beta2 * s + (1 - self.beta2) * g * g
            v_bar = mu_next * v / (1 - prod * mu_next) + (1 - mu) * g / (1 - prod)
            p -= self.lr * v_bar / (np.sqrt(s / c2) + self.eps)
