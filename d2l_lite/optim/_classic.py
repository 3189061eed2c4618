"""The rules of the linear-regression chapter: SGD (with momentum), Adagrad, RMSProp, Adadelta, Adam, Yogi."""
import math

import numpy as np

from ._checks import _check, _choice, _zeros  # noqa: F401


class SGD:
    """Minibatch SGD, with optional momentum (a leaky average of gradients) and Nesterov momentum.

    ``lr_in_velocity=False`` (PyTorch, Paddle, the textbook): v <- beta v + g;  x <- x - lr v.
    ``lr_in_velocity=True``  (Keras, MXNet):                   v <- beta v - lr g;  x <- x + v.
    The two agree while lr is constant and differ once it changes during a run.

    ``nesterov=True`` (needs a momentum > 0) steps along the look-ahead g + beta v instead of v:
    x <- x - lr (g + beta v) with the first velocity, x <- x + beta v - lr g with the second.
    The parameters are then the look-ahead points of Sutskever et al.'s form (book: sec-nesterov).
    """

    def __init__(self, lr=0.01, momentum=0.0, lr_in_velocity=False, nesterov=False):
        self.lr = _check("lr", lr, 0, low_open=True)
        self.momentum = _check("momentum", momentum, 0, 1)
        self.lr_in_velocity = bool(lr_in_velocity)
        _choice("nesterov", nesterov, (False, True))
        self.nesterov = bool(nesterov)
        if self.nesterov and self.momentum == 0:
            raise ValueError("nesterov=True needs a momentum in (0, 1), got momentum=0.0 "
                             "(Nesterov's look-ahead is a momentum step)")

    def init(self, params):
        return {"v": _zeros(params)}

    def update(self, params, grads, state):
        beta = self.momentum
        for p, g, v in zip(params, grads, state["v"]):
            if beta == 0:
                p -= self.lr * g
            elif self.lr_in_velocity:
                v[:] = beta * v - self.lr * g
                p += beta * v - self.lr * g if self.nesterov else v
            else:
                v[:] = beta * v + g
                p -= self.lr * (g + beta * v) if self.nesterov else self.lr * v


class Adagrad:
    """s <- s + g^2;  x <- x - lr g / sqrt(s + eps)   (``eps_inside_sqrt=False``: / (sqrt(s) + eps))."""

    def __init__(self, lr=0.1, eps=1e-6, initial_accumulator=0.0, eps_inside_sqrt=True):
        self.lr = _check("lr", lr, 0, low_open=True)
        self.eps = _check("eps", eps, 0)
        self.initial_accumulator = _check("initial_accumulator", initial_accumulator, 0)
        self.eps_inside_sqrt = bool(eps_inside_sqrt)

    def init(self, params):
        return {"s": _zeros(params, self.initial_accumulator)}

    def update(self, params, grads, state):
        for p, g, s in zip(params, grads, state["s"]):
            s += g * g
            denom = np.sqrt(s + self.eps) if self.eps_inside_sqrt else np.sqrt(s) + self.eps
            p -= self.lr * g / denom


class RMSProp:
    """s <- gamma s + (1 - gamma) g^2;  x <- x - lr g / sqrt(s + eps)  (or / (sqrt(s) + eps))."""

    def __init__(self, lr=0.01, gamma=0.9, eps=1e-6, eps_inside_sqrt=True):
        self.lr = _check("lr", lr, 0, low_open=True)
        self.gamma = _check("gamma", gamma, 0, 1)
        self.eps = _check("eps", eps, 0)
        self.eps_inside_sqrt = bool(eps_inside_sqrt)

    def init(self, params):
        return {"s": _zeros(params)}

    def update(self, params, grads, state):
        for p, g, s in zip(params, grads, state["s"]):
            s[:] = self.gamma * s + (1 - self.gamma) * g * g
            denom = np.sqrt(s + self.eps) if self.eps_inside_sqrt else np.sqrt(s) + self.eps
            p -= self.lr * g / denom


class Adadelta:
    """Zeiler's Algorithm 1, with a learning rate ``lr`` that scales the step (1 in the paper):

    s <- rho s + (1 - rho) g^2;  g' <- sqrt(dx + eps) / sqrt(s + eps) * g;
    x <- x - lr g';  dx <- rho dx + (1 - rho) g'^2
    """

    def __init__(self, rho=0.9, eps=1e-6, lr=1.0):
        self.rho = _check("rho", rho, 0, 1)
        self.eps = _check("eps", eps, 0, low_open=True)
        self.lr = _check("lr", lr, 0, low_open=True)

    def init(self, params):
        return {"s": _zeros(params), "dx": _zeros(params)}

    def update(self, params, grads, state):
        for p, g, s, dx in zip(params, grads, state["s"], state["dx"]):
            s[:] = self.rho * s + (1 - self.rho) * g * g
            g_ = np.sqrt(dx + self.eps) / np.sqrt(s + self.eps) * g
            p -= self.lr * g_
            dx[:] = self.rho * dx + (1 - self.rho) * g_ * g_


class Adam:
    """Adam with bias correction.

    ``eps_hat=False`` (the paper's Algorithm 1, PyTorch, Paddle):
        x <- x - lr v_hat / (sqrt(s_hat) + eps)
    ``eps_hat=True`` (Keras, MXNet; the paper's "more efficient" ordering):
        x <- x - lr sqrt(1 - beta2^t) / (1 - beta1^t) * v / (sqrt(s) + eps)
    ``amsgrad=True`` (Reddi et al., 2018, as PyTorch, Keras and Paddle implement it): the step uses
    s_max <- max(s_max, s) in place of s, and the bias correction divides s_max by 1 - beta2^t.
    """

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, eps_hat=False, amsgrad=False):
        self.lr = _check("lr", lr, 0, low_open=True)
        self.beta1 = _check("beta1", beta1, 0, 1)
        self.beta2 = _check("beta2", beta2, 0, 1)
        self.eps = _check("eps", eps, 0)
        self.eps_hat = bool(eps_hat)
        _choice("amsgrad", amsgrad, (False, True))
        self.amsgrad = bool(amsgrad)

    def init(self, params):
        state = {"t": 0, "v": _zeros(params), "s": _zeros(params)}
        if self.amsgrad:
            state["s_max"] = _zeros(params)
        return state

    def _second_moment(self, s, g):
        s[:] = self.beta2 * s + (1 - self.beta2) * g * g

    def update(self, params, grads, state):
        state["t"] += 1
        t = state["t"]
        c1, c2 = 1 - self.beta1 ** t, 1 - self.beta2 ** t
        s_maxes = state["s_max"] if self.amsgrad else [None] * len(params)
        for p, g, v, s, s_max in zip(params, grads, state["v"], state["s"], s_maxes):
            v[:] = self.beta1 * v + (1 - self.beta1) * g
            self._second_moment(s, g)
            if self.amsgrad:
                np.maximum(s_max, s, out=s_max)
                s = s_max
            if self.eps_hat:
                p -= self.lr * math.sqrt(c2) / c1 * v / (np.sqrt(s) + self.eps)
            else:
                p -= self.lr * (v / c1) / (np.sqrt(s / c2) + self.eps)


class Yogi(Adam):
    """Adam whose second moment moves additively: s <- s + (1 - beta2) g^2 sign(g^2 - s)."""

    def __init__(self, lr=0.01, beta1=0.9, beta2=0.999, eps=1e-3):
        super().__init__(lr=lr, beta1=beta1, beta2=beta2, eps=eps)

    def _second_moment(self, s, g):
        s[:] = s + (1 - self.beta2) * g * g * np.sign(g * g - s)
