"""Lion (Chen et al., 2023, "Symbolic Discovery of Optimization Algorithms"): the sign of an interpolated
momentum, with decoupled weight decay."""
import numpy as np

from ._checks import _check, _zeros


class Lion:
    """Lion, the rule of the paper's Program 1 (and of ``keras.optimizers.Lion``):

        c <- beta1 v + (1 - beta1) g                      (the interpolation whose sign is the step)
        x <- x - lr (sign(c) + weight_decay x)            (decoupled decay, scaled by lr)
        v <- beta2 v + (1 - beta2) g                      (the one state, the momentum)

    ``sign(0) = 0``: a coordinate whose c is exactly zero (no gradient yet, ever) only decays. The defaults
    are those of the authors' implementation (lr 1e-4, betas 0.9 and 0.99, no decay); Keras's default
    learning rate is 1e-3. ``beta1 = beta2 = 0`` is signSGD; ``beta1 = beta2`` is the sign of a leaky
    average (signum).

    ``decay_before_step=True`` (Keras, whose base optimizer decays every variable before the update step):
    x <- x - x wd lr, then x <- x - lr sign(c). The same formula, rounded differently in float32; Lion's
    sign makes such rounding differences grow over a run.
    """

    def __init__(self, lr=1e-4, beta1=0.9, beta2=0.99, weight_decay=0.0, decay_before_step=False):
        self.lr = _check("lr", lr, 0, low_open=True)
        self.beta1 = _check("beta1", beta1, 0, 1, high_open=False)
        self.beta2 = _check("beta2", beta2, 0, 1, high_open=False)
        self.weight_decay = _check("weight_decay", weight_decay, 0)
        if not isinstance(decay_before_step, (bool, np.bool_)):
            raise ValueError(f"decay_before_step must be True or False, got {decay_before_step!r}")
        self.decay_before_step = bool(decay_before_step)

    def init(self, params):
        return {"v": _zeros(params)}

    def update(self, params, grads, state):
        for p, g, v in zip(params, grads, state["v"]):
            c = self.beta1 * v + (1 - self.beta1) * g
            if self.decay_before_step:
                p -= p * self.weight_decay * self.lr
                p -= self.lr * np.sign(c)
            else:
                p -= self.lr * (np.sign(c) + self.weight_decay * p)
            v[:] = self.beta2 * v + (1 - self.beta2) * g
