"""From-scratch update rules for the TensorFlow backend.

The whole training step, the rule included, runs as one ``tf.function``: Python code here
runs once, when the step is traced. So params and states are ``tf.Variable``s updated with
``assign``/``assign_sub``, and Adam's step counter is a ``tf.Variable`` too (a Python int
would be frozen at its traced value).
"""
import tensorflow as tf

from . import shapes_of


def _zeros(shapes, value=0.0):
    return [tf.Variable(tf.fill(list(shape), value)) for shape in shapes_of(shapes)]


def init_sgd_states(feature_dim, hyperparams=None):
    return {}


def sgd(params, grads, states, hyperparams):
    for p, g in zip(params, grads):
        p.assign_sub(hyperparams["lr"] * g)


def init_momentum_states(feature_dim, hyperparams=None):
    return {"v": _zeros(feature_dim)}


def momentum(params, grads, states, hyperparams):
    lr, beta = hyperparams["lr"], hyperparams["momentum"]
    for p, g, v in zip(params, grads, states["v"]):
        if hyperparams.get("lr_in_velocity", False):
            v.assign(beta * v - lr * g)
            p.assign_add(v)
        else:
            v.assign(beta * v + g)
            p.assign_sub(lr * v)


def init_adagrad_states(feature_dim, hyperparams=None):
    return {"s": _zeros(feature_dim, float((hyperparams or {}).get("initial_accumulator", 0.0)))}


def _denominator(s, hyperparams):
    if hyperparams.get("eps_inside_sqrt", True):
        return tf.sqrt(s + hyperparams["eps"])
    return tf.sqrt(s) + hyperparams["eps"]


def adagrad(params, grads, states, hyperparams):
    for p, g, s in zip(params, grads, states["s"]):
        s.assign_add(g * g)
        p.assign_sub(hyperparams["lr"] * g / _denominator(s, hyperparams))


def init_rmsprop_states(feature_dim, hyperparams=None):
    return {"s": _zeros(feature_dim)}


def rmsprop(params, grads, states, hyperparams):
    gamma = hyperparams["gamma"]
    for p, g, s in zip(params, grads, states["s"]):
        s.assign(gamma * s + (1 - gamma) * g * g)
        p.assign_sub(hyperparams["lr"] * g / _denominator(s, hyperparams))


def init_adadelta_states(feature_dim, hyperparams=None):
    return {"s": _zeros(feature_dim), "dx": _zeros(feature_dim)}


def adadelta(params, grads, states, hyperparams):
    rho, eps, lr = hyperparams["rho"], hyperparams["eps"], hyperparams.get("lr", 1.0)
    for p, g, s, dx in zip(params, grads, states["s"], states["dx"]):
        s.assign(rho * s + (1 - rho) * g * g)
        g_ = tf.sqrt(dx + eps) / tf.sqrt(s + eps) * g
        p.assign_sub(lr * g_)
        dx.assign(rho * dx + (1 - rho) * g_ * g_)


def init_adam_states(feature_dim, hyperparams=None):
    return {"t": tf.Variable(0.0), "v": _zeros(feature_dim), "s": _zeros(feature_dim)}


def _adam_like(params, grads, states, hyperparams, second_moment):
    lr, beta1, beta2, eps = (hyperparams[k] for k in ("lr", "beta1", "beta2", "eps"))
    t = states["t"].assign_add(1.0)
    c1, c2 = 1 - beta1 ** t, 1 - beta2 ** t
    for p, g, v, s in zip(params, grads, states["v"], states["s"]):
        v.assign(beta1 * v + (1 - beta1) * g)
        s.assign(second_moment(s, g))
        if hyperparams.get("eps_hat", False):
            p.assign_sub(lr * tf.sqrt(c2) / c1 * v / (tf.sqrt(s) + eps))
        else:
            p.assign_sub(lr * (v / c1) / (tf.sqrt(s / c2) + eps))


def adam(params, grads, states, hyperparams):
    beta2 = hyperparams["beta2"]
    _adam_like(params, grads, states, hyperparams, lambda s, g: beta2 * s + (1 - beta2) * g * g)


init_yogi_states = init_adam_states


def yogi(params, grads, states, hyperparams):
    beta2 = hyperparams["beta2"]
    _adam_like(params, grads, states, hyperparams,
               lambda s, g: s + (1 - beta2) * g * g * tf.sign(g * g - s))


RULES = {name: (globals()[f"init_{name}_states"], globals()[name])
         for name in ("sgd", "momentum", "adagrad", "rmsprop", "adadelta", "adam", "yogi")}
