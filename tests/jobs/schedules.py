"""Each framework's own scheduler driven through a run and compared with d2l_lite.optim.schedules, and the
traps: what a cosine does after its end, and MXNet's one-step offset."""
import warnings

import numpy as np

T = 100


def references():
    from d2l_lite.optim import schedules as S
    return {"step": S.step(0.1, 30, 0.5), "exponential": S.exponential(0.1, 0.97),
            "polynomial": S.polynomial(0.1, 80, 0.0, 2.0), "cosine": S.cosine(0.1, T - 1, 0.001),
            "warmup_cosine": S.warmup_cosine(0.1, 10, T - 1, init_lr=0.01, final_lr=0.001),
            "one_cycle": S.one_cycle(0.1, T)}


def _torch(steps):
    import torch
    from torch.optim import lr_scheduler as L

    def drive(make, n=steps):
        opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
        sched, out = make(opt), []
        for _ in range(n):
            out.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
        return out
    make = {"step": lambda o: L.StepLR(o, 30, 0.5), "exponential": lambda o: L.ExponentialLR(o, 0.97),
            "polynomial": lambda o: L.PolynomialLR(o, total_iters=80, power=2.0),
            "cosine": lambda o: L.CosineAnnealingLR(o, T_max=T - 1, eta_min=0.001),
            "warmup_cosine": lambda o: L.SequentialLR(o, [L.LinearLR(o, 0.1, 1.0, total_iters=10),
                                                          L.CosineAnnealingLR(o, T_max=T - 11, eta_min=0.001)], [10]),
            "one_cycle": lambda o: L.OneCycleLR(o, max_lr=0.1, total_steps=T)}
    rates = {k: drive(m) for k, m in make.items()}
    # trap: scheduler.step() before optimizer.step() warns, and the first rate is skipped
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    sched = L.ExponentialLR(opt, 0.5)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        sched.step()
        first = opt.param_groups[0]["lr"]
        opt.step()
    extra = {"wrong_order_warned": any("optimizer.step()" in str(x.message) for x in w), "wrong_order_first": first}
    return rates, drive(make["cosine"], 2 * (T - 1) + 1), extra


def _tensorflow(steps):
    import tensorflow as tf
    K = tf.keras.optimizers.schedules
    s = {"step": K.PiecewiseConstantDecay([29, 59, 89], [0.1, 0.05, 0.025, 0.0125]),
         "exponential": K.ExponentialDecay(0.1, 1, 0.97), "polynomial": K.PolynomialDecay(0.1, 80, 0.0, power=2.0),
         "cosine": K.CosineDecay(0.1, T - 1, alpha=0.01),
         "warmup_cosine": K.CosineDecay(0.01, T - 11, alpha=0.01, warmup_target=0.1, warmup_steps=10)}
    rates = {k: [float(f(t - 1)) for t in range(1, steps + 1)] for k, f in s.items()}
    return rates, [float(s["cosine"](t - 1)) for t in range(1, 2 * T)], {}


def _mxnet(steps):
    import mxnet as mx
    LS = mx.lr_scheduler
    s = {"step": LS.MultiFactorScheduler(step=[30, 60, 90], factor=0.5, base_lr=0.1),
         "exponential": LS.FactorScheduler(step=1, factor=0.97, base_lr=0.1, stop_factor_lr=0),
         "polynomial": LS.PolyScheduler(max_update=80, base_lr=0.1, pwr=2, final_lr=0.0),
         "cosine": LS.CosineScheduler(max_update=T - 1, base_lr=0.1, final_lr=0.001),
         "warmup_cosine": LS.CosineScheduler(max_update=T - 1, base_lr=0.1, final_lr=0.001, warmup_steps=10,
                                             warmup_begin_lr=0.01)}
    rates = {k: [float(f(t)) for t in range(1, steps + 1)] for k, f in s.items()}
    c = LS.CosineScheduler(max_update=T - 1, base_lr=0.1, final_lr=0.001)
    return rates, [float(c(t)) for t in range(1, 2 * T)], {}


def _paddle(steps):
    import paddle
    P = paddle.optimizer.lr

    def drive(sched, n=steps):
        w = paddle.create_parameter([1], "float32")
        opt = paddle.optimizer.SGD(learning_rate=sched, parameters=[w])
        out = []
        for _ in range(n):
            out.append(float(opt.get_lr()))
            opt.step()
            sched.step()
        return out
    s = {"step": P.PiecewiseDecay([30, 60, 90], [0.1, 0.05, 0.025, 0.0125]),
         "exponential": P.ExponentialDecay(0.1, 0.97), "polynomial": P.PolynomialDecay(0.1, 80, 0.0, power=2.0),
         "cosine": P.CosineAnnealingDecay(0.1, T - 1, 0.001),
         "warmup_cosine": P.LinearWarmup(P.CosineAnnealingDecay(0.1, T - 11, 0.001), 10, 0.01, 0.1),
         "one_cycle": P.OneCycleLR(0.1, T, end_learning_rate=0.1 / 25 / 1e4)}
    rates = {k: drive(f) for k, f in s.items()}
    return rates, drive(P.CosineAnnealingDecay(0.1, T - 1, 0.001), 2 * (T - 1) + 1), {}


def job_schedules(backend, d2l):
    ref = references()
    if backend == "numpy":
        rates = {k: [f(t) for t in range(1, T + 1)] for k, f in ref.items()}
        long, extra = [ref["cosine"](t) for t in range(1, 2 * T)], {}
    else:
        rates, long, extra = {"torch": _torch, "tensorflow": _tensorflow, "mxnet": _mxnet,
                              "paddle": _paddle}[backend](T)
    r = {k: np.array([ref[k](t) for t in range(1, T + 2)]) for k in ref}
    diff = {k: float(np.max(np.abs(np.array(v) - r[k][:T]))) for k, v in rates.items()}
    shifted = {k: float(np.max(np.abs(np.array(v) - r[k][1:]))) for k, v in rates.items()}
    return {"diff": diff, "shifted": shifted, "after_end": float(long[-1]), "at_end": float(long[T - 1]), **extra}


JOBS = {"schedules": job_schedules}
