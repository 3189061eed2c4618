"""Nesterov momentum, NAdam and AMSGrad (book/nesterov.md, book/adam.md) in one backend.

``nesterov_network``: the two from-scratch rules of the section on the digits MLP and each framework's
built-in (with the NumPy job also running the NumPy variants that the built-ins of Keras and MXNet
match); and the probes of the section, the parameters after each step of every built-in on fixed
gradients, for the test to match against ``d2l_lite.optim``.
"""
import numpy as np

EPOCHS = 2
HP_NESTEROV = {"lr": 0.01, "momentum": 0.9}
HP_NADAM = {"lr": 0.002, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "momentum_decay": 4e-3}
MXNET_ORDER = (1, 0, 3, 2)          # gluon's Trainer updates parameters sorted by name: b1, W1, b2, W2

# the probe: two parameters, fixed gradients, a learning rate that drops halfway (for Nesterov)
P0 = [[1.0, -2.0, 0.5], [0.3, -0.7]]
T = 8
_rng = np.random.default_rng(3)
GRADS = [[np.round(_rng.normal(size=len(p)), 2).tolist() for p in P0] for _ in range(T)]
LRS = [0.1] * (T // 2) + [0.02] * (T // 2)
NADAM_LR, NADAM_EPS = 0.01, 0.1
# AMSGrad: a large first gradient and beta2 = 0.9, so that s falls and the maximum acts
AMS_P0 = [1.0, -1.0, 0.5]
AMS_GRADS = [[1.0, -2.0, 0.5], [0.1, 0.2, -0.05], [0.02, -0.01, 0.01], [0.3, 0.05, -0.2]]
AMS_HP = {"lr": 0.01, "beta2": 0.9, "eps": 1e-3}


def _primitives(backend, d2l):
    """zeros(shape), assign(x, value) in place, sqrt: the section's three primitives."""
    if backend == "numpy":
        def zeros(shape):
            return np.zeros(shape, dtype=np.float32)

        def assign(x, value):
            x[:] = value
        return zeros, assign, np.sqrt
    if backend == "torch":
        import torch

        def zeros(shape):
            return torch.zeros(shape, device=d2l.device)

        def assign(x, value):
            x[:] = value
        return zeros, assign, torch.sqrt
    if backend == "tensorflow":
        import tensorflow as tf

        def zeros(shape):
            return tf.Variable(tf.zeros(shape))

        def assign(x, value):
            x.assign(value)
        return zeros, assign, tf.sqrt
    if backend == "mxnet":
        from mxnet import np as mnp

        def zeros(shape):
            return mnp.zeros(shape)

        def assign(x, value):
            x[:] = value
        return zeros, assign, mnp.sqrt
    import paddle

    def zeros(shape):
        return paddle.zeros(shape)

    def assign(x, value):
        x[:] = value
    return zeros, assign, paddle.sqrt


def _rules(zeros, assign, sqrt, shapes):
    def nesterov(params, grads, states, hp):
        beta = hp["momentum"]
        for p, g, v in zip(params, grads, states["v"]):
            assign(v, beta * v + g)
            assign(p, p - hp["lr"] * (g + beta * v))

    def nadam(params, grads, states, hp):
        beta1, beta2, psi, t, P = hp["beta1"], hp["beta2"], hp["momentum_decay"], states["t"], states["P"]
        assign(t, t + 1)
        mu = beta1 * (1 - 0.5 * 0.96 ** (t * psi))
        mu_next = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi))
        assign(P, P * mu)
        for p, g, v, s in zip(params, grads, states["v"], states["s"]):
            assign(v, beta1 * v + (1 - beta1) * g)
            assign(s, beta2 * s + (1 - beta2) * g * g)
            v_bar = mu_next * v / (1 - P * mu_next) + (1 - mu) * g / (1 - P)
            assign(p, p - hp["lr"] * v_bar / (sqrt(s / (1 - beta2 ** t)) + hp["eps"]))

    def nesterov_states():
        return {"v": [zeros(s) for s in shapes]}

    def nadam_states():
        states = {"v": [zeros(s) for s in shapes], "s": [zeros(s) for s in shapes], "t": zeros((1,)),
                  "P": zeros((1,))}
        assign(states["P"], states["P"] + 1)
        return states
    return {"nesterov": (nesterov, nesterov_states, HP_NESTEROV), "nadam": (nadam, nadam_states, HP_NADAM)}


def _builtins(backend, d2l):
    """{rule: (trainer, kwargs)}: each framework's Nesterov flag and NAdam, same hyperparameters."""
    if backend == "numpy":
        return {"nesterov": (d2l.SGD, {**HP_NESTEROV, "nesterov": True}), "nadam": (d2l.NAdam, HP_NADAM)}
    if backend == "torch":
        import torch
        return {"nesterov": (torch.optim.SGD, {**HP_NESTEROV, "nesterov": True}),
                "nadam": (torch.optim.NAdam, {"lr": 0.002, "betas": (0.9, 0.999), "eps": 1e-8,
                                              "momentum_decay": 4e-3})}
    if backend == "tensorflow":
        import tensorflow as tf
        return {"nesterov": (tf.keras.optimizers.SGD, {"learning_rate": 0.01, "momentum": 0.9, "nesterov": True}),
                "nadam": (tf.keras.optimizers.Nadam, {"learning_rate": 0.002, "beta_1": 0.9, "beta_2": 0.999,
                                                      "epsilon": 1e-8})}
    if backend == "mxnet":
        return {"nesterov": ("nag", {"learning_rate": 0.01, "momentum": 0.9}),
                "nadam": ("nadam", {"learning_rate": 0.002, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8,
                                    "schedule_decay": 4e-3})}
    import paddle
    return {"nesterov": (paddle.optimizer.Momentum, {"learning_rate": 0.01, "momentum": 0.9, "use_nesterov": True}),
            "nadam": (paddle.optimizer.NAdam, {"learning_rate": 0.002, "beta1": 0.9, "beta2": 0.999,
                                               "epsilon": 1e-8, "momentum_decay": 4e-3})}


# --- the probe, per framework: make(params) -> optimizer; points after each step ---------------------

def _points(backend, make, p0, grads, lrs=None):
    p0 = [np.array(p, dtype=np.float32) for p in p0]
    grads = [[np.array(g, dtype=np.float32) for g in step] for step in grads]
    points = []
    if backend == "numpy":
        ps = [p.copy() for p in p0]
        opt = make(None)
        state = opt.init(ps)
        for t, gs in enumerate(grads):
            if lrs is not None:
                opt.lr = lrs[t]
            opt.update(ps, gs, state)
            points.append(np.concatenate(ps).tolist())
    elif backend == "torch":
        import torch
        ps = [torch.nn.Parameter(torch.tensor(p)) for p in p0]
        opt = make(ps)
        for t, gs in enumerate(grads):
            if lrs is not None:
                for group in opt.param_groups:
                    group["lr"] = lrs[t]
            for p, g in zip(ps, gs):
                p.grad = torch.tensor(g)
            opt.step()
            points.append(np.concatenate([p.detach().numpy() for p in ps]).tolist())
    elif backend == "tensorflow":
        import tensorflow as tf
        ps = [tf.Variable(p) for p in p0]
        opt = make(None)
        for t, gs in enumerate(grads):
            if lrs is not None:
                opt.learning_rate.assign(lrs[t])
            opt.apply_gradients([(tf.constant(g), p) for g, p in zip(gs, ps)])
            points.append(np.concatenate([p.numpy() for p in ps]).tolist())
    elif backend == "mxnet":
        import mxnet as mx
        from mxnet import np as mnp
        opt = make(None)
        updater, ps = mx.optimizer.get_updater(opt), [mnp.array(p, dtype="float32") for p in p0]
        for t, gs in enumerate(grads):
            if lrs is not None:
                opt.set_learning_rate(lrs[t])
            for i, (p, g) in enumerate(zip(ps, gs)):
                updater(i, mnp.array(g, dtype="float32"), p)
            points.append(np.concatenate([p.asnumpy() for p in ps]).tolist())
    else:
        import paddle
        ps = [paddle.create_parameter(list(p.shape), "float32", default_initializer=paddle.nn.initializer.Assign(p))
              for p in p0]
        opt = make(ps)
        for t, gs in enumerate(grads):
            if lrs is not None:
                opt.set_lr(lrs[t])
            sum((p * paddle.to_tensor(g)).sum() for p, g in zip(ps, gs)).backward()
            opt.step()
            opt.clear_grad()
            points.append(np.concatenate([p.numpy() for p in ps]).tolist())
    return points


def _probe_makers(backend, d2l):
    """{probe: make(params) -> optimizer} (None where the framework has no such optimizer)."""
    if backend == "numpy":
        return {"nesterov": lambda ps: d2l.SGD(lr=LRS[0], momentum=0.9, nesterov=True),
                "nadam": lambda ps: d2l.NAdam(lr=NADAM_LR, eps=NADAM_EPS),
                "amsgrad": lambda ps: d2l.Adam(**AMS_HP, amsgrad=True)}
    if backend == "torch":
        import torch
        return {"nesterov": lambda ps: torch.optim.SGD(ps, lr=LRS[0], momentum=0.9, nesterov=True),
                "nadam": lambda ps: torch.optim.NAdam(ps, lr=NADAM_LR, eps=NADAM_EPS),
                "amsgrad": lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.9, 0.9), eps=1e-3, amsgrad=True)}
    if backend == "tensorflow":
        import tensorflow as tf
        return {"nesterov": lambda ps: tf.keras.optimizers.SGD(learning_rate=LRS[0], momentum=0.9, nesterov=True),
                "nadam": lambda ps: tf.keras.optimizers.Nadam(learning_rate=NADAM_LR, epsilon=NADAM_EPS),
                "amsgrad": lambda ps: tf.keras.optimizers.Adam(learning_rate=0.01, beta_2=0.9, epsilon=1e-3,
                                                               amsgrad=True)}
    if backend == "mxnet":
        import mxnet as mx
        return {"nesterov": lambda ps: mx.optimizer.create("nag", learning_rate=LRS[0], momentum=0.9),
                "nadam": lambda ps: mx.optimizer.create("nadam", learning_rate=NADAM_LR, epsilon=NADAM_EPS),
                "amsgrad": None}
    import paddle
    return {"nesterov": lambda ps: paddle.optimizer.Momentum(learning_rate=LRS[0], momentum=0.9, use_nesterov=True,
                                                             parameters=ps),
            "nadam": lambda ps: paddle.optimizer.NAdam(learning_rate=NADAM_LR, epsilon=NADAM_EPS, parameters=ps),
            "amsgrad": lambda ps: paddle.optimizer.Adam(learning_rate=0.01, beta2=0.9, epsilon=1e-3, amsgrad=True,
                                                        parameters=ps)}


def _facts(backend, d2l):
    """What the section asserts about each framework's flags, as data."""
    import inspect
    if backend == "numpy":
        return {"nesterov_default": inspect.signature(d2l.SGD).parameters["nesterov"].default,
                "amsgrad_default": inspect.signature(d2l.Adam).parameters["amsgrad"].default,
                "nadam_has_psi": "momentum_decay" in inspect.signature(d2l.NAdam).parameters}
    if backend == "torch":
        import torch
        try:
            torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1, nesterov=True)
            error = None
        except ValueError as e:
            error = str(e)
        return {"nesterov_default": inspect.signature(torch.optim.SGD).parameters["nesterov"].default,
                "nesterov_without_momentum_error": error,
                "amsgrad_default": inspect.signature(torch.optim.Adam).parameters["amsgrad"].default,
                "nadam_has_psi": "momentum_decay" in inspect.signature(torch.optim.NAdam).parameters}
    if backend == "tensorflow":
        import tensorflow as tf
        params = inspect.signature(tf.keras.optimizers.Nadam).parameters
        return {"nesterov_default": tf.keras.optimizers.SGD().nesterov,
                "amsgrad_default": tf.keras.optimizers.Adam().amsgrad,
                "nadam_has_psi": bool({"momentum_decay", "schedule_decay"} & set(params))}
    if backend == "mxnet":
        import mxnet as mx
        return {"nag_default_momentum": mx.optimizer.create("nag").momentum,
                "nadam_shared_product": isinstance(mx.optimizer.create("nadam").m_schedule, float),
                "adam_has_amsgrad": "amsgrad" in inspect.signature(mx.optimizer.Adam.__init__).parameters,
                "nadam_has_psi": hasattr(mx.optimizer.create("nadam"), "schedule_decay"),
                "trainer_sorts_params": "sorted(list(params.keys()))" in inspect.getsource(mx.gluon.Trainer.__init__)}
    import paddle
    return {"nesterov_default": inspect.signature(paddle.optimizer.Momentum).parameters["use_nesterov"].default,
            "amsgrad_default": inspect.signature(paddle.optimizer.Adam).parameters["amsgrad"].default,
            "nadam_has_psi": "momentum_decay" in inspect.signature(paddle.optimizer.NAdam).parameters}


def job_network(backend, d2l):
    from _worker import captured, summary
    data_iter, feature_dim = d2l.get_data("digits", batch_size=32, seed=0)
    shapes = d2l.param_shapes(data_iter)
    rules = _rules(*_primitives(backend, d2l), shapes)
    out = {"scratch": {}, "builtin": {}, "variants": {}, "probes": {}}
    for name, (update, make_states, hp) in rules.items():
        res, printed = captured(d2l.train_from_scratch, update, make_states(), hp, data_iter, feature_dim,
                                num_epochs=EPOCHS, seed=0, plot=False)
        out["scratch"][name] = summary(res, printed)
    for name, (trainer, kwargs) in _builtins(backend, d2l).items():
        res, printed = captured(d2l.train_concise, trainer, kwargs, data_iter, num_epochs=EPOCHS, seed=0, plot=False)
        out["builtin"][name] = summary(res, printed)
    if backend == "numpy":          # the variants that Keras's and MXNet's NAdam match
        for name, options in (("nadam_psi_1", {"momentum_decay": 1.0}),
                              ("nadam_per_update", {"mu_product": "per_update", "order": MXNET_ORDER}),
                              ("nadam_simple", {"momentum_schedule": False})):
            res, printed = captured(d2l.train_concise, d2l.NAdam, {**HP_NADAM, **options}, data_iter,
                                    num_epochs=EPOCHS, seed=0, plot=False)
            out["variants"][name] = summary(res, printed)
    makers = _probe_makers(backend, d2l)
    out["probes"]["nesterov"] = _points(backend, makers["nesterov"], P0, GRADS, LRS)
    out["probes"]["nadam"] = _points(backend, makers["nadam"], P0, GRADS)
    out["probes"]["amsgrad"] = (_points(backend, makers["amsgrad"], [AMS_P0], [[g] for g in AMS_GRADS])
                                if makers["amsgrad"] else None)
    out["facts"] = _facts(backend, d2l)
    return out


JOBS = {"nesterov_network": job_network}
