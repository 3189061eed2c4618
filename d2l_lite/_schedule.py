"""Learning rates that change during a run, written once for every backend: the checks, and the
driver that gives a from-scratch rule the rate of each step.

A *schedule* for ``train_from_scratch`` is a plain function ``schedule(t) -> lr`` of the step
t = 1, 2, ... (``d2l_lite.optim.schedules`` has the usual ones). Before step t the loop evaluates it,
checks the value and writes it into ``hyperparams["lr"]``, where the rule reads it: a Python number
in most frameworks, a ``tf.Variable`` in TensorFlow (the compiled step reads the variable, so it sees
the new value without being traced again). ``train_concise`` takes the framework's own scheduler
object instead (see each backend's ``concise``).
"""
import math
import numbers


def check_lr(value, step, where):
    """``value`` as a float if it is a finite number >= 0; otherwise a clear error naming the step."""
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if ok:
        ok = math.isfinite(float(value)) and float(value) >= 0
    if not ok:
        raise ValueError(f"{where} gave the learning rate {value!r} (type {type(value).__name__}) for step "
                         f"{step}; a learning rate must be a finite number >= 0 (a Python or NumPy number)")
    return float(value)


def scratch_schedule(backend, schedule, hyperparams):
    """The hyperparameters the rule will see, and ``before_step(t) -> lr`` that sets the rate of step t.

    Without a schedule the hyperparameters are used as they are and the rate is ``hyperparams["lr"]``
    (None where the rule has no ``lr``, as Adadelta may not)."""
    if schedule is None:
        lr = hyperparams.get("lr") if isinstance(hyperparams, dict) else None
        lr = float(lr) if isinstance(lr, numbers.Real) and not isinstance(lr, bool) else None
        return hyperparams, None, lr
    if not callable(schedule):
        raise TypeError("schedule must be a function of the step t = 1, 2, ... that returns the learning "
                        f"rate (e.g. d2l_lite.optim.schedules.cosine(0.1, 900)), got {type(schedule).__name__}")
    if not isinstance(hyperparams, dict):
        raise TypeError(f"with a schedule, hyperparams must be a dict, got {type(hyperparams).__name__}")
    if "lr" in hyperparams:
        raise ValueError("hyperparams has an 'lr' and a schedule was given: the schedule sets "
                         "hyperparams['lr'] before every step, so leave 'lr' out of hyperparams")
    hp = dict(hyperparams)
    first = check_lr(schedule(1), 1, "schedule")
    set_lr = backend.lr_holder(hp, first)

    def before_step(t):
        lr = check_lr(schedule(t), t, "schedule")
        set_lr(lr)
        return lr
    return hp, before_step, first
