"""Muon (book/muon.md) in one backend.

``muon_network``: the section's from-scratch rule (Muon on W1, Adam on the rest, the "match_rms_adamw"
shape factor) on the digits MLP, the NumPy reference ``d2l_lite.optim.Muon`` with the same
hyperparameters, and (PyTorch, TensorFlow) the framework's built-in Muon set to that formula; plus the
facts the section asserts about each framework's Muon, as data.
"""
import math
import re

import numpy as np

EPOCHS = 2
HP = {"lr": 0.01, "momentum": 0.95, "ns_steps": 5, "adjust_lr": "match_rms_adamw", "muon_params": (0,),
      "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
REF_HP = {"lr": 0.01, "momentum": 0.95, "ns_steps": 5, "adjust_lr": "match_rms_adamw", "muon_params": (0,),
          "adam_lr": 0.01, "adam_beta1": 0.9, "adam_beta2": 0.999, "adam_eps": 1e-8}
COEF = (3.4445, -4.7750, 2.0315)


def _primitives(backend, d2l):
    """zeros, assign (in place), sqrt, matmul, transpose, sum."""
    if backend == "numpy":
        def assign(x, v):
            x[:] = v
        return (lambda s: np.zeros(s, dtype=np.float32)), assign, np.sqrt, np.matmul, np.transpose, np.sum
    if backend == "torch":
        import torch

        def assign(x, v):
            x[:] = v
        return (lambda s: torch.zeros(s, device=d2l.device)), assign, torch.sqrt, torch.matmul, torch.t, torch.sum
    if backend == "tensorflow":
        import tensorflow as tf
        return ((lambda s: tf.Variable(tf.zeros(s))), (lambda x, v: x.assign(v)), tf.sqrt, tf.matmul,
                tf.transpose, tf.reduce_sum)
    if backend == "mxnet":
        from mxnet import np as mnp

        def assign(x, v):
            x[:] = v
        return (lambda s: mnp.zeros(s)), assign, mnp.sqrt, mnp.dot, mnp.transpose, mnp.sum
    import paddle

    def assign(x, v):
        x[:] = v
    return (lambda s: paddle.zeros(s)), assign, paddle.sqrt, paddle.matmul, paddle.t, paddle.sum


def _rule(zeros, assign, sqrt, matmul, transpose, total, shapes):
    def ns(G, steps, eps=1e-7):
        a, b, c = COEF
        tall = G.shape[0] > G.shape[1]
        X = transpose(G) if tall else G
        X = X / (sqrt(total(X * X)) + eps)
        for _ in range(steps):
            A = matmul(X, transpose(X))
            B = b * A + c * matmul(A, A)
            X = a * X + matmul(B, X)
        return transpose(X) if tall else X

    def factor(shape):
        fan_in, fan_out = shape
        return 0.2 * math.sqrt(max(fan_in, fan_out))

    def muon(params, grads, states, hp):
        lr, beta, t = hp["lr"], hp["momentum"], states["t"]
        assign(t, t + 1)
        for i, (p, g, v, s) in enumerate(zip(params, grads, states["v"], states["s"])):
            if i in hp["muon_params"]:
                assign(v, beta * v + g)
                O = ns(g + beta * v, hp["ns_steps"])
                assign(p, p - lr * factor(tuple(p.shape)) * O)
            else:
                b1, b2 = hp["beta1"], hp["beta2"]
                assign(v, b1 * v + (1 - b1) * g)
                assign(s, b2 * s + (1 - b2) * g * g)
                assign(p, p - lr * (v / (1 - b1 ** t)) / (sqrt(s / (1 - b2 ** t)) + hp["eps"]))

    def states():
        return {"v": [zeros(s) for s in shapes],
                "s": [None if i in HP["muon_params"] else zeros(s) for i, s in enumerate(shapes)],
                "t": zeros((1,))}
    return muon, states


def _builtin(backend):
    """(trainer, hyperparams, reference options) for the framework's Muon set to the formula, or None."""
    if backend == "torch":
        import torch

        class MuonWithAdamW:
            def __init__(self, params, lr):
                params = list(params)
                hidden = [p for p in params if p.ndim == 2][:-1]
                rest = [p for p in params if not any(p is h for h in hidden)]
                self.muon = torch.optim.Muon(hidden, lr=lr, weight_decay=0.0, adjust_lr_fn="match_rms_adamw")
                self.adamw = torch.optim.AdamW(rest, lr=lr, weight_decay=0.0, eps=1e-8)
                self.param_groups = self.muon.param_groups + self.adamw.param_groups

            def zero_grad(self):
                self.muon.zero_grad()
                self.adamw.zero_grad()

            def step(self):
                self.muon.step()
                self.adamw.step()
        return MuonWithAdamW, {"lr": 0.01}, {}
    if backend == "tensorflow":
        import tensorflow as tf

        class HiddenMuon(tf.keras.optimizers.Muon):
            def build(self, var_list):
                self.exclude_layers = [re.escape(var_list[-2].path)]
                super().build(var_list)
        return HiddenMuon, {"learning_rate": 0.01, "weight_decay": 0.0, "adam_weight_decay": 0.0,
                            "epsilon": 1e-8}, {"adam_eps_hat": True}
    return None


def _facts(backend):
    import inspect
    if backend == "torch":
        import torch
        sig = inspect.signature(torch.optim.Muon).parameters
        try:
            torch.optim.Muon([torch.nn.Parameter(torch.zeros(3))])
            refuses_bias = False
        except ValueError:
            refuses_bias = True
        return {"has_muon": True, "refuses_bias": refuses_bias,
                "defaults": {k: sig[k].default for k in ("lr", "weight_decay", "momentum", "nesterov", "ns_steps",
                                                         "eps", "adjust_lr_fn")},
                "ns_coefficients": list(sig["ns_coefficients"].default)}
    if backend == "tensorflow":
        import tensorflow as tf
        sig = inspect.signature(tf.keras.optimizers.Muon).parameters
        return {"has_muon": True,
                "defaults": {k: sig[k].default for k in ("learning_rate", "weight_decay", "adam_weight_decay",
                                                         "momentum", "ns_steps", "nesterov", "rms_rate",
                                                         "exclude_embeddings", "epsilon")}}
    if backend == "mxnet":
        import mxnet as mx
        return {"has_muon": "muon" in mx.optimizer.Optimizer.opt_registry
                or hasattr(mx.optimizer, "Muon")}
    if backend == "paddle":
        import paddle
        return {"has_muon": hasattr(paddle.optimizer, "Muon")}
    return {"has_muon": None}


def job_network(backend, d2l):
    from _worker import captured, summary
    from d2l_lite import optim
    data_iter, feature_dim = d2l.get_data("digits", batch_size=32, seed=0)
    shapes = d2l.param_shapes(data_iter)
    update, make_states = _rule(*_primitives(backend, d2l), shapes)
    out = {}
    res, printed = captured(d2l.train_from_scratch, update, make_states(), dict(HP), data_iter, feature_dim,
                            num_epochs=EPOCHS, seed=0, plot=False)
    out["scratch"] = summary(res, printed)
    built = _builtin(backend)
    out["builtin"] = out["builtin_reference"] = None
    if built is not None:
        trainer, kwargs, options = built
        res, printed = captured(d2l.train_concise, trainer, kwargs, data_iter, num_epochs=EPOCHS, seed=0, plot=False)
        out["builtin"] = summary(res, printed)
        if options:                     # the reference variant this built-in matches, run here in NumPy
            import d2l_lite.numpy as ref
            ref_iter, _ = ref.get_data("digits", batch_size=32, seed=0)
            res, printed = captured(ref.train_concise, optim.Muon, {**REF_HP, **options}, ref_iter,
                                    num_epochs=EPOCHS, seed=0, plot=False)
            out["builtin_reference"] = summary(res, printed)
    if backend == "numpy":
        res, printed = captured(d2l.train_concise, d2l.Muon, dict(REF_HP), data_iter, num_epochs=EPOCHS, seed=0,
                                plot=False)
        out["reference"] = summary(res, printed)
    out["facts"] = _facts(backend)
    return out


JOBS = {"muon_network": job_network}
