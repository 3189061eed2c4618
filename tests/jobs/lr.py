"""Learning rates that change during a run: a from-scratch schedule and each framework's own scheduler,
on linear regression with SGD (the rule whose built-in is the same formula everywhere)."""
import importlib

from _worker import captured, error_of, summary

LR0, GAMMA, EPOCHS = 0.05, 0.999, 2


def reference(t):
    """The rate of step t = 1, 2, ...: LR0 GAMMA^(t - 1)."""
    return LR0 * GAMMA ** (t - 1)


def framework_scheduler(backend):
    """(trainer, hyperparams, scheduler): this framework's SGD and its own exponential decay, set to reference."""
    if backend == "numpy":
        from d2l_lite import optim
        return optim.SGD, {}, reference
    if backend == "torch":
        import torch
        return torch.optim.SGD, {"lr": LR0}, lambda opt: torch.optim.lr_scheduler.ExponentialLR(opt, gamma=GAMMA)
    if backend == "tensorflow":
        import tensorflow as tf
        return tf.keras.optimizers.SGD, {}, tf.keras.optimizers.schedules.ExponentialDecay(
            initial_learning_rate=LR0, decay_steps=1, decay_rate=GAMMA)
    if backend == "mxnet":
        import mxnet as mx
        return "sgd", {}, mx.lr_scheduler.FactorScheduler(step=1, factor=GAMMA, base_lr=LR0, stop_factor_lr=0)
    import paddle
    return paddle.optimizer.SGD, {}, paddle.optimizer.lr.ExponentialDecay(learning_rate=LR0, gamma=GAMMA)


def job_lr_schedule(backend, d2l):
    rules = importlib.import_module(f"rules.{backend}_rules")
    init, sgd = rules.RULES["sgd"]
    data_iter, dim = d2l.get_data(batch_size=10)
    out = {}
    run = lambda **kw: captured(d2l.train_from_scratch, sgd, init(dim), kw.pop("hp", {}), data_iter, dim,  # noqa
                                num_epochs=EPOCHS, plot=False, **kw)
    res, printed = run(schedule=reference)
    out["scratch"] = {**summary(res, printed), "lrs": res.lrs}
    res, _ = run(schedule=lambda t: LR0)
    out["scratch_constant_schedule"] = {**summary(res), "lrs": res.lrs}
    res, _ = run(hp={"lr": LR0})
    out["scratch_constant"] = {**summary(res), "lrs": res.lrs}
    res, _ = run(schedule=lambda t: 0.0 if t == 1 else LR0)          # a first step of rate 0 moves nothing
    out["scratch_zero_first"] = {**summary(res), "lrs": res.lrs}
    res, _ = captured(d2l.train_from_scratch, sgd, init(dim), {}, data_iter, dim, num_epochs=1, schedule=reference)
    out["plot_ylabels"] = [a.get_ylabel() for a in res.figure.axes]
    res, _ = captured(d2l.train_from_scratch, sgd, init(dim), {"lr": LR0}, data_iter, dim, num_epochs=1)
    out["plot_ylabels_constant"] = [a.get_ylabel() for a in res.figure.axes]
    trainer, hp, scheduler = framework_scheduler(backend)
    res, printed = captured(d2l.train_concise, trainer, hp, data_iter, num_epochs=EPOCHS, plot=False,
                            scheduler=scheduler)
    out["builtin"] = {**summary(res, printed), "lrs": res.lrs}
    lr_key = "lr" if backend in ("numpy", "torch") else "learning_rate"
    res, _ = captured(d2l.train_concise, trainer, {lr_key: LR0}, data_iter, num_epochs=1, plot=False)
    out["builtin_no_scheduler_lrs"] = res.lrs
    bad = {"negative": lambda t: -0.1 if t == 3 else LR0, "nan": lambda t: float("nan") if t == 5 else LR0,
           "string": lambda t: "0.05", "none": lambda t: None}
    out["errors"] = {name: error_of(d2l.train_from_scratch, sgd, init(dim), {}, data_iter, dim, plot=False,
                                    schedule=fn) for name, fn in bad.items()}
    out["errors"]["lr_and_schedule"] = error_of(d2l.train_from_scratch, sgd, init(dim), {"lr": LR0}, data_iter,
                                                dim, plot=False, schedule=reference)
    out["errors"]["not_callable"] = error_of(d2l.train_from_scratch, sgd, init(dim), {}, data_iter, dim,
                                             plot=False, schedule=0.05)
    if backend == "mxnet":      # Adam has learning_rate=0.001 by default, which MXNet writes over base_lr
        import mxnet as mx
        sched = mx.lr_scheduler.FactorScheduler(step=1, factor=GAMMA, base_lr=LR0, stop_factor_lr=0)
        res, printed = captured(d2l.train_concise, "adam", {}, data_iter, num_epochs=1, plot=False, scheduler=sched)
        out["adam_scheduler_lrs"] = res.lrs
    out["errors"]["wrong_scheduler"] = error_of(d2l.train_concise, trainer, hp, data_iter, plot=False,
                                                scheduler=42)
    return out


JOBS = {"lr_schedule": job_lr_schedule}
