"""Lion (book/lion.md) in one backend.

``lion_network``: the section's from-scratch Lion on the digits MLP (2 epochs, with decay), the built-in
where one exists (Keras; NumPy runs ``d2l.Lion`` in both decay placements), the parameters after each step of
the built-in on fixed gradients (decay 0 and > 0), and the framework facts the section asserts, as data.
"""
import inspect

import numpy as np

EPOCHS = 2
HP = {"lr": 0.003, "beta1": 0.9, "beta2": 0.99, "weight_decay": 1.0}

# the probe: one parameter of five coordinates, fixed gradients (one coordinate's gradient is always 0)
P0 = [1.0, -2.0, 0.5, 0.3, -0.7]
T = 6
_rng = np.random.default_rng(5)
GRADS = [np.round(_rng.normal(size=len(P0)), 2).tolist() for _ in range(T)]
for _g in GRADS:
    _g[3] = 0.0
PROBE_LR = 0.01
PROBE_WDS = (0.0, 0.5)


def _primitives(backend, d2l):
    """zeros(shape), assign(x, value) in place, sign."""
    if backend == "numpy":
        def assign(x, value):
            x[:] = value
        return (lambda s: np.zeros(s, dtype=np.float32)), assign, np.sign
    if backend == "torch":
        import torch

        def assign(x, value):
            x[:] = value
        return (lambda s: torch.zeros(s, device=d2l.device)), assign, torch.sign
    if backend == "tensorflow":
        import tensorflow as tf

        def assign(x, value):
            x.assign(value)
        return (lambda s: tf.Variable(tf.zeros(s))), assign, tf.sign
    if backend == "mxnet":
        from mxnet import np as mnp

        def assign(x, value):
            x[:] = value
        return mnp.zeros, assign, mnp.sign
    import paddle

    def assign(x, value):
        x[:] = value
    return paddle.zeros, assign, paddle.sign


def _lion(assign, sign):
    def lion(params, grads, states, hp):
        beta1, beta2, lr, wd = hp["beta1"], hp["beta2"], hp["lr"], hp["weight_decay"]
        for p, g, v in zip(params, grads, states):
            c = beta1 * v + (1 - beta1) * g
            assign(p, p - lr * (sign(c) + wd * p))
            assign(v, beta2 * v + (1 - beta2) * g)
    return lion


def _facts(backend, d2l):
    if backend == "numpy":
        params = inspect.signature(d2l.Lion).parameters
        return {"defaults": [params[k].default for k in ("lr", "beta1", "beta2", "weight_decay")],
                "sign0": float(np.sign(np.float32(0.0)))}
    if backend == "torch":
        import torch
        return {"has_lion": hasattr(torch.optim, "Lion") or any("lion" in n.lower() for n in dir(torch.optim)),
                "sign0": float(torch.sign(torch.zeros(1))[0])}
    if backend == "tensorflow":
        import keras
        import tensorflow as tf
        params = inspect.signature(tf.keras.optimizers.Lion).parameters
        try:
            tf.keras.optimizers.Lion(beta_1=0.0)
            beta1_zero_error = None
        except ValueError as e:
            beta1_zero_error = str(e)
        return {"same_class": tf.keras.optimizers.Lion is keras.optimizers.Lion,
                "defaults": [params[k].default for k in ("learning_rate", "beta_1", "beta_2", "weight_decay")],
                "beta1_zero_error": beta1_zero_error, "sign0": float(tf.sign(tf.zeros(1))[0])}
    if backend == "mxnet":
        import mxnet as mx
        from mxnet import np as mnp
        registry = [n.lower() for n in mx.optimizer.Optimizer.opt_registry]
        return {"has_lion": any("lion" in n for n in registry) or hasattr(mx.optimizer, "Lion"),
                "sign0": float(mnp.sign(mnp.zeros(1)).item())}
    import paddle
    names = dir(paddle.optimizer) + dir(paddle.incubate.optimizer)
    return {"has_lion": any("lion" in n.lower() for n in names), "sign0": float(paddle.sign(paddle.zeros([1]))[0])}


def _probe(backend, d2l):
    """{wd: points after each step} of the built-in on fixed gradients (NumPy: the reference, both placements)."""
    p0, grads = np.array(P0, dtype=np.float32), [np.array(g, dtype=np.float32) for g in GRADS]
    out = {}
    if backend == "numpy":
        for before in (False, True):
            for wd in PROBE_WDS:
                opt, p = d2l.Lion(lr=PROBE_LR, weight_decay=wd, decay_before_step=before), [p0.copy()]
                state, points = opt.init(p), []
                for g in grads:
                    opt.update(p, [g], state)
                    points.append(p[0].tolist())
                out[f"{'before' if before else 'textbook'}_{wd:g}"] = points
    elif backend == "tensorflow":
        import tensorflow as tf
        for wd in PROBE_WDS:
            opt, p, points = tf.keras.optimizers.Lion(learning_rate=PROBE_LR, weight_decay=wd), tf.Variable(p0), []
            for g in grads:
                opt.apply_gradients([(tf.constant(g), p)])
                points.append(p.numpy().tolist())
            out[f"keras_{wd:g}"] = points
    return out


def job_network(backend, d2l):
    from _worker import captured, summary
    data_iter, feature_dim = d2l.get_data("digits", batch_size=32, seed=0)
    shapes = d2l.param_shapes(data_iter)
    zeros, assign, sign = _primitives(backend, d2l)
    hp = dict(HP)
    res, printed = captured(d2l.train_from_scratch, _lion(assign, sign), [zeros(s) for s in shapes], hp,
                            data_iter, feature_dim, num_epochs=EPOCHS, seed=0, plot=False)
    out = {"scratch": summary(res, printed), "builtin": {}, "facts": _facts(backend, d2l), "probe": _probe(backend, d2l)}
    if backend == "numpy":
        for before in (False, True):
            res, _ = captured(d2l.train_concise, d2l.Lion, {**HP, "decay_before_step": before}, data_iter,
                              num_epochs=EPOCHS, seed=0, plot=False)
            out["builtin"]["before" if before else "textbook"] = summary(res)
    elif backend == "tensorflow":
        import tensorflow as tf
        res, _ = captured(d2l.train_concise, tf.keras.optimizers.Lion,
                          {"learning_rate": HP["lr"], "beta_1": HP["beta1"], "beta_2": HP["beta2"],
                           "weight_decay": HP["weight_decay"]}, data_iter, num_epochs=EPOCHS, seed=0, plot=False)
        out["builtin"]["keras"] = summary(res)
    for r in [out["scratch"], *out["builtin"].values()]:
        r.pop("params")
    return out


JOBS = {"lion_network": job_network}
