"""From-scratch update rules written once for the backends whose arrays take slice assignment
(``x[:] = ...`` updates in place in NumPy, PyTorch under no_grad, MXNet and PaddlePaddle).

``make(sqrt, sign, full)`` binds them to one framework's operations; each backend's module calls
it with its own. TensorFlow's variables need ``assign`` and have a module of their own.
"""
import math

from . import shapes_of


def make(sqrt, sign, full):
    """The rules (see ``rules/__init__.py``) for a framework with these three operations."""
    def _zeros(shapes, value=0.0):
        return [full(tuple(shape), value) for shape in shapes_of(shapes)]

    def init_sgd_states(feature_dim, hyperparams=None):
        return {}

    def sgd(params, grads, states, hyperparams):
        for p, g in zip(params, grads):
            p[:] = p - hyperparams["lr"] * g

    def init_momentum_states(feature_dim, hyperparams=None):
        return {"v": _zeros(feature_dim)}

    def momentum(params, grads, states, hyperparams):
        lr, beta = hyperparams["lr"], hyperparams["momentum"]
        for p, g, v in zip(params, grads, states["v"]):
            if hyperparams.get("lr_in_velocity", False):
                v[:] = beta * v - lr * g
                p[:] = p + v
            else:
                v[:] = beta * v + g
                p[:] = p - lr * v

    def init_adagrad_states(feature_dim, hyperparams=None):
        return {"s": _zeros(feature_dim, (hyperparams or {}).get("initial_accumulator", 0.0))}

    def _denominator(s, hyperparams):
        if hyperparams.get("eps_inside_sqrt", True):
            return sqrt(s + hyperparams["eps"])
        return sqrt(s) + hyperparams["eps"]

    def adagrad(params, grads, states, hyperparams):
        for p, g, s in zip(params, grads, states["s"]):
            s[:] = s + g * g
            p[:] = p - hyperparams["lr"] * g / _denominator(s, hyperparams)

    def init_rmsprop_states(feature_dim, hyperparams=None):
        return {"s": _zeros(feature_dim)}

    def rmsprop(params, grads, states, hyperparams):
        gamma = hyperparams["gamma"]
        for p, g, s in zip(params, grads, states["s"]):
            s[:] = gamma * s + (1 - gamma) * g * g
            p[:] = p - hyperparams["lr"] * g / _denominator(s, hyperparams)

    def init_adadelta_states(feature_dim, hyperparams=None):
        return {"s": _zeros(feature_dim), "dx": _zeros(feature_dim)}

    def adadelta(params, grads, states, hyperparams):
        rho, eps, lr = hyperparams["rho"], hyperparams["eps"], hyperparams.get("lr", 1.0)
        for p, g, s, dx in zip(params, grads, states["s"], states["dx"]):
            s[:] = rho * s + (1 - rho) * g * g
            g_ = sqrt(dx + eps) / sqrt(s + eps) * g
            p[:] = p - lr * g_
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
            if hyperparams.get("eps_hat", False):
                p[:] = p - lr * math.sqrt(c2) / c1 * v / (sqrt(s) + eps)
            else:
                p[:] = p - lr * (v / c1) / (sqrt(s / c2) + eps)

    def adam(params, grads, states, hyperparams):
        beta2 = hyperparams["beta2"]
        _adam_like(params, grads, states, hyperparams, lambda s, g: beta2 * s + (1 - beta2) * g * g)

    init_yogi_states = init_adam_states

    def yogi(params, grads, states, hyperparams):
        beta2 = hyperparams["beta2"]
        _adam_like(params, grads, states, hyperparams,
                   lambda s, g: s + (1 - beta2) * g * g * sign(g * g - s))

    defined = dict(locals())
    rules = {name: (defined[f"init_{name}_states"], defined[name])
             for name in ("sgd", "momentum", "adagrad", "rmsprop", "adadelta", "adam", "yogi")}
    return {**{f"init_{n}_states": i for n, (i, _) in rules.items()}, **{n: u for n, (_, u) in rules.items()},
            "RULES": rules}
