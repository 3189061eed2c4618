"""From-scratch update rules for the NumPy backend (gradients come from d2l_lite, by hand)."""
import math

import numpy as np


def _zeros(feature_dim, value=0.0):
    return [np.full((feature_dim, 1), value, dtype=np.float32), np.full((1,), value, dtype=np.float32)]


def init_sgd_states(feature_dim, hyperparams=None):
    return {}


def sgd(params, grads, states, hyperparams):
    for p, g in zip(params, grads):
        p -= hyperparams["lr"] * g


def init_momentum_states(feature_dim, hyperparams=None):
    return {"v": _zeros(feature_dim)}


def momentum(params, grads, states, hyperparams):
    lr, beta = hyperparams["lr"], hyperparams["momentum"]
    for p, g, v in zip(params, grads, states["v"]):
        if hyperparams.get("lr_in_velocity", False):      # v <- beta v - lr g;  x <- x + v
            v[:] = beta * v - lr * g
            p += v
        else:                                              # v <- beta v + g;  x <- x - lr v
            v[:] = beta * v + g
            p -= lr * v


def init_adagrad_states(feature_dim, hyperparams=None):
    return {"s": _zeros(feature_dim, (hyperparams or {}).get("initial_accumulator", 0.0))}


def _denominator(s, hyperparams):
    if hyperparams.get("eps_inside_sqrt", True):
        return np.sqrt(s + hyperparams["eps"])
    return np.sqrt(s) + hyperparams["eps"]


def adagrad(params, grads, states, hyperparams):
    for p, g, s in zip(params, grads, states["s"]):
        s += g * g
        p -= hyperparams["lr"] * g / _denominator(s, hyperparams)


def init_rmsprop_states(feature_dim, hyperparams=None):
    return {"s": _zeros(feature_dim)}


def rmsprop(params, grads, states, hyperparams):
    gamma = hyperparams["gamma"]
    for p, g, s in zip(params, grads, states["s"]):
        s[:] = gamma * s + (1 - gamma) * g * g
        p -= hyperparams["lr"] * g / _denominator(s, hyperparams)


def init_adadelta_states(feature_dim, hyperparams=None):
    return {"s": _zeros(feature_dim), "dx": _zeros(feature_dim)}


def adadelta(params, grads, states, hyperparams):
    rho, eps, lr = hyperparams["rho"], hyperparams["eps"], hyperparams.get("lr", 1.0)
    for p, g, s, dx in zip(params, grads, states["s"], states["dx"]):
        s[:] = rho * s + (1 - rho) * g * g
        g_ = np.sqrt(dx + eps) / np.sqrt(s + eps) * g
        p -= lr * g_
        dx[:] = rho * dx + (1 - rho) * g_ * g_


def init_adam_states(feature_dim, hyperparams=None):
    return {"t": 0, "v": _zeros(feature_dim), "s": _zeros(feature_dim)}


def _adam_like(params, grads, states, hyperparams, second_moment):
    lr, beta1, beta2, eps = (hyperparams[k] for k in ("lr", "beta1", "beta2", "eps"))
    states["t"] += 1
    c1, c2 = 1 - beta1 ** states["t"], 1 - beta2 ** states["t"]
    for p, g, v, s in zip(params, grads, states["v"], states["s"]):
        v[:] = beta1 * v + (1 - beta1) * g
        s[:] = second_moment(s, g)
        if hyperparams.get("eps_hat", False):              # eps added to sqrt(s), not sqrt(s_hat)
            p -= lr * math.sqrt(c2) / c1 * v / (np.sqrt(s) + eps)
        else:
            p -= lr * (v / c1) / (np.sqrt(s / c2) + eps)


def adam(params, grads, states, hyperparams):
    beta2 = hyperparams["beta2"]
    _adam_like(params, grads, states, hyperparams, lambda s, g: beta2 * s + (1 - beta2) * g * g)


init_yogi_states = init_adam_states


def yogi(params, grads, states, hyperparams):
    beta2 = hyperparams["beta2"]
    _adam_like(params, grads, states, hyperparams,
               lambda s, g: s + (1 - beta2) * g * g * np.sign(g * g - s))


RULES = {name: (globals()[f"init_{name}_states"], globals()[name])
         for name in ("sgd", "momentum", "adagrad", "rmsprop", "adadelta", "adam", "yogi")}
