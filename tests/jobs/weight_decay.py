"""Weight decay (book/weight_decay.md) in one backend.

``weight_decay_builtin``: three steps of the framework's optimizers with weight decay on the loss
0.5 * sum(a * x^2) (the parameters after the steps), and one epoch of AdamW on the digits MLP: the built-in where
one exists, MXNet's from-scratch rule around ``mx.nd.contrib.adamw_update`` (on ``as_nd_ndarray()`` views of mx.np arrays), NumPy's ``d2l.AdamW``.
"""
import numpy as np

A = [1.0, 10.0, 0.1, 100.0]
X0 = [1.0, -2.0, 0.5, 3.0]
LR, WD, STEPS = 0.1, 0.1, 3
NET = {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "wd": 0.1}


def _net(backend, d2l):
    data_iter, feature_dim = d2l.get_data("digits", batch_size=32, seed=0)
    hp = NET
    if backend == "numpy":
        return d2l.train_concise(d2l.AdamW, dict(hp), data_iter, num_epochs=1, plot=False)
    if backend == "torch":
        import torch
        return d2l.train_concise(torch.optim.AdamW, {"lr": hp["lr"], "betas": (hp["beta1"], hp["beta2"]),
                                                     "eps": hp["eps"], "weight_decay": hp["wd"]},
                                 data_iter, num_epochs=1, plot=False)
    if backend == "tensorflow":
        import tensorflow as tf
        return d2l.train_concise(tf.keras.optimizers.AdamW, {"learning_rate": hp["lr"], "beta_1": hp["beta1"],
                                                            "beta_2": hp["beta2"], "epsilon": hp["eps"],
                                                            "weight_decay": hp["wd"]},
                                 data_iter, num_epochs=1, plot=False)
    if backend == "paddle":
        import paddle
        return d2l.train_concise(paddle.optimizer.AdamW, {"learning_rate": hp["lr"], "beta1": hp["beta1"],
                                                         "beta2": hp["beta2"], "epsilon": hp["eps"],
                                                         "weight_decay": hp["wd"]},
                                 data_iter, num_epochs=1, plot=False)
    from mxnet import nd
    from mxnet import np as mnp
    shapes = d2l.param_shapes(data_iter)
    states = [(mnp.zeros(s), mnp.zeros(s)) for s in shapes], [0]

    def adamw(params, grads, states, h):
        moments, t = states
        t[0] += 1
        c1, c2 = 1 - h["beta1"] ** t[0], 1 - h["beta2"] ** t[0]
        for p, g, (v, s) in zip(params, grads, moments):    # adamw_update exists only in mx.nd: nd views
            p, g, v, s = (a.as_nd_ndarray() for a in (p, g, v, s))   # that share the arrays' memory
            nd.contrib.adamw_update(p, g, v, s, rescale_grad=1.0, lr=h["lr"] * np.sqrt(c2) / c1, eta=1.0,
                                    beta1=h["beta1"], beta2=h["beta2"], epsilon=h["eps"] * np.sqrt(c2),
                                    wd=h["lr"] * h["wd"], out=p)
    return d2l.train_from_scratch(adamw, states, dict(hp), data_iter, feature_dim, num_epochs=1, plot=False)


def _probes(backend):
    a, x0 = np.array(A, np.float32), np.array(X0, np.float32)
    out = {}
    if backend == "torch":
        import torch

        def run(make):
            x = torch.tensor(x0, requires_grad=True)
            opt = make([x])
            for _ in range(STEPS):
                opt.zero_grad()
                (0.5 * (torch.tensor(a) * x ** 2).sum()).backward()
                opt.step()
            return x.detach().numpy().tolist()
        out["adam_wd"] = run(lambda p: torch.optim.Adam(p, lr=LR, weight_decay=WD))
        out["adamw"] = run(lambda p: torch.optim.AdamW(p, lr=LR, weight_decay=WD))
        out["sgd_momentum_wd"] = run(lambda p: torch.optim.SGD(p, lr=LR, momentum=0.9, weight_decay=WD))
    elif backend == "tensorflow":
        import tensorflow as tf

        def run(opt):
            x = tf.Variable(x0)
            for _ in range(STEPS):
                opt.apply_gradients([(tf.constant(a) * x, x)])
            return x.numpy().tolist()
        out["adam_wd"] = run(tf.keras.optimizers.Adam(learning_rate=LR, weight_decay=WD))
        out["adamw"] = run(tf.keras.optimizers.AdamW(learning_rate=LR, weight_decay=WD))
        out["sgd_wd"] = run(tf.keras.optimizers.SGD(learning_rate=LR, weight_decay=WD))
        out["adamw_default_wd"] = tf.keras.optimizers.AdamW().weight_decay
    elif backend == "mxnet":
        import mxnet as mx
        from mxnet import np as mnp

        def run(opt):                           # Optimizer.update takes mx.nd arrays: pass nd views of x
            x = mnp.array(x0, dtype="float32")
            state = opt.create_state(0, x.as_nd_ndarray())
            for _ in range(STEPS):
                opt.update(0, x.as_nd_ndarray(), (mnp.array(a, dtype="float32") * x).as_nd_ndarray(), state)
            return x.asnumpy().tolist()
        out["adam_wd"] = run(mx.optimizer.create("adam", learning_rate=LR, wd=WD))
        out["sgd_momentum_wd"] = run(mx.optimizer.create("sgd", learning_rate=LR, momentum=0.9, wd=WD))
        out["has_adamw_class"] = hasattr(mx.optimizer, "AdamW")
    elif backend == "paddle":
        import paddle

        def run(make):
            x = paddle.create_parameter([4], "float32", default_initializer=paddle.nn.initializer.Assign(x0))
            opt = make([x])
            for _ in range(STEPS):
                (0.5 * (paddle.to_tensor(a) * x ** 2).sum()).backward()
                opt.step()
                opt.clear_grad()
            return x.numpy().tolist()
        out["adam_wd"] = run(lambda p: paddle.optimizer.Adam(learning_rate=LR, parameters=p, weight_decay=WD))
        out["adamw"] = run(lambda p: paddle.optimizer.AdamW(learning_rate=LR, parameters=p, weight_decay=WD))
        out["sgd_wd"] = run(lambda p: paddle.optimizer.SGD(learning_rate=LR, parameters=p, weight_decay=WD))
    return out


def weight_decay_builtin(backend, d2l):
    r = _net(backend, d2l)
    return {"final_loss": float(r.final_loss), "losses0": float(r.losses[0]),
            "test_correct": int(r.test_correct), "probes": _probes(backend)}


JOBS = {"weight_decay_builtin": weight_decay_builtin}
