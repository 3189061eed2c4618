"""Muon (Jordan et al., 2024): momentum on each hidden weight matrix, replaced by its orthogonal factor,
computed by a Newton-Schulz iteration; every other parameter gets AdamW (book: sec-muon).

Weights are in this book's layout, (fan_in, fan_out): a dense layer computes X W + b.
"""
import math
import numbers

import numpy as np

from ._checks import _check, _choice, _zeros
from ._classic import Adam

COEFFICIENTS = (3.4445, -4.7750, 2.0315)       # Jordan et al.'s quintic, as in PyTorch and Keras
ADJUST_LR = ("original", "match_rms_adamw", "none")


def _steps(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not 0 <= value < 100:
        raise ValueError(f"{name} must be an integer from 0 to 99, got {value!r}")
    return int(value)


def _coefficients(value):
    try:
        ok = len(value) == 3
    except TypeError:
        ok = False
    if not ok:
        raise ValueError(f"coefficients must be three finite numbers (a, b, c), got {value!r}")
    return tuple(_check(f"coefficients[{i}]", v, -math.inf) for i, v in enumerate(value))


def newton_schulz(G, steps=5, coefficients=COEFFICIENTS, eps=1e-7):
    """About the orthogonal factor U V^T of a matrix G = U S V^T, by ``steps`` Newton-Schulz steps.

    X_0 = G / (||G||_F + eps), so that every singular value is at most 1; then
    X_{k+1} = a X + b (X X^T) X + c (X X^T)^2 X, which maps each singular value s to
    p(s) = a s + b s^3 + c s^5 and keeps U and V. A matrix with more rows than columns is
    transposed first and back at the end (as PyTorch and Keras do): the result is the same, but
    X X^T is then the smaller Gram matrix. The arithmetic is in G's dtype.
    """
    G = np.asarray(G)
    if G.ndim != 2:
        raise ValueError(f"newton_schulz needs a matrix (2-D array), got an array of shape {G.shape}")
    steps = _steps("steps", steps)
    a, b, c = _coefficients(coefficients)
    eps = _check("eps", eps, 0)
    tall = G.shape[0] > G.shape[1]
    X = G.T if tall else G
    X = X / (np.sqrt(np.sum(X * X)) + eps)
    for _ in range(steps):
        A = X @ X.T
        B = b * A + c * (A @ A)
        X = a * X + B @ X
    return X.T if tall else X


def lr_factor(shape, adjust_lr="original"):
    """The factor by which Muon scales its learning rate for a weight of ``shape`` = (fan_in, fan_out).

    "original" (Jordan et al.; PyTorch's default): sqrt(max(1, fan_out / fan_in)).
    "match_rms_adamw" (Liu et al., 2025; Keras's ``rms_rate=0.2``): 0.2 sqrt(max(fan_in, fan_out)).
    "none": 1.
    """
    _choice("adjust_lr", adjust_lr, ADJUST_LR)
    fan_in, fan_out = shape
    if adjust_lr == "original":
        return math.sqrt(max(1.0, fan_out / fan_in))
    if adjust_lr == "match_rms_adamw":
        return 0.2 * math.sqrt(max(fan_in, fan_out))
    return 1.0


class Muon:
    """Muon for the hidden weight matrices, AdamW for every other parameter (one optimizer, as Keras's).

    For each parameter W in ``muon_params`` (a matrix, (fan_in, fan_out)), with g its gradient:
        v <- beta v + g                                 (momentum, the book's form)
        u <- g + beta v  if nesterov  else  v
        O <- newton_schulz(u, ns_steps, coefficients, eps)
        W <- W - lr wd W - lr lr_factor(W.shape, adjust_lr) O
    (PyTorch's and Jordan's momentum is the leaky average v <- beta v + (1 - beta) g; it is (1 - beta)
    times this v, and Newton-Schulz divides the scale out, so the two agree up to eps.)

    Every other parameter: x <- x - adam_lr adam_weight_decay x, then the book's Adam step
    (``d2l_lite.optim.Adam`` with adam_lr, adam_beta1, adam_beta2, adam_eps; ``adam_eps_hat=True``
    is Keras's placement of epsilon). The decays use the learning rate, not lr_factor's scaled one.

    ``muon_params``: indices into ``params`` of the matrices that get Muon. ``None`` (the default):
    every 2-D parameter except the last one, which is the output layer.
    """

    def __init__(self, lr=0.02, momentum=0.95, nesterov=True, ns_steps=5, coefficients=COEFFICIENTS, eps=1e-7,
                 weight_decay=0.0, adjust_lr="original", muon_params=None, adam_lr=0.001, adam_beta1=0.9,
                 adam_beta2=0.999, adam_eps=1e-8, adam_weight_decay=0.0, adam_eps_hat=False):
        self.lr = _check("lr", lr, 0, low_open=True)
        self.momentum = _check("momentum", momentum, 0, 1)
        _choice("nesterov", nesterov, (False, True))
        self.nesterov = bool(nesterov)
        self.ns_steps = _steps("ns_steps", ns_steps)
        self.coefficients = _coefficients(coefficients)
        self.eps = _check("eps", eps, 0)
        self.weight_decay = _check("weight_decay", weight_decay, 0)
        self.adjust_lr = _choice("adjust_lr", adjust_lr, ADJUST_LR)
        if muon_params is not None:
            if isinstance(muon_params, (str, bytes)) or not all(
                    isinstance(i, numbers.Integral) and not isinstance(i, bool) for i in muon_params):
                raise ValueError(f"muon_params must be None or a sequence of parameter indices, got {muon_params!r}")
            muon_params = tuple(int(i) for i in muon_params)
        self.muon_params = muon_params
        self.adam_lr = _check("adam_lr", adam_lr, 0, low_open=True)
        self.adam_weight_decay = _check("adam_weight_decay", adam_weight_decay, 0)
        self.adam = Adam(lr=self.adam_lr, beta1=adam_beta1, beta2=adam_beta2, eps=adam_eps,
                         eps_hat=_choice("adam_eps_hat", adam_eps_hat, (False, True)))

    def split(self, params):
        """The indices of the parameters that get Muon, and of those that get AdamW."""
        n = len(params)
        if self.muon_params is None:
            matrices = [i for i, p in enumerate(params) if np.ndim(p) == 2]
            muon = matrices[:-1]
        else:
            muon = list(self.muon_params)
            for i in muon:
                if not -n <= i < n:
                    raise ValueError(f"muon_params holds the index {i}, but there are only {n} parameters")
                if np.ndim(params[i]) != 2:
                    raise ValueError(f"Muon needs matrices: parameter {i} has shape {np.shape(params[i])} "
                                     "(give it to AdamW: leave its index out of muon_params)")
            muon = sorted({i % n for i in muon})
        return muon, [i for i in range(n) if i not in muon]

    def init(self, params):
        muon, rest = self.split(params)
        return {"muon": muon, "rest": rest, "v": {i: _zeros([params[i]])[0] for i in muon},
                "adam": self.adam.init([params[i] for i in rest])}

    def update(self, params, grads, state):
        beta = self.momentum
        for i in state["muon"]:
            p, g, v = params[i], grads[i], state["v"][i]
            v[:] = beta * v + g
            u = g + beta * v if self.nesterov else v
            O = newton_schulz(u, self.ns_steps, self.coefficients, self.eps)
            p -= self.lr * self.weight_decay * p
            p -= self.lr * lr_factor(p.shape, self.adjust_lr) * O
        rest = state["rest"]
        if rest:
            for i in rest:
                params[i] -= self.adam_lr * self.adam_weight_decay * params[i]
            self.adam.update([params[i] for i in rest], [grads[i] for i in rest], state["adam"])
