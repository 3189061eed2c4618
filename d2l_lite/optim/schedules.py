"""Learning-rate schedules (optax style: small, explicit, composable).

Each function returns a schedule ``s(t) -> float``, the learning rate of step t = 1, 2, ...
(the rate the optimizer uses for its t-th update). How this maps to each framework's counter:

- PyTorch ``torch.optim.lr_scheduler`` and Paddle ``paddle.optimizer.lr``: before step t the scheduler
  has been stepped t - 1 times (``last_epoch = t - 1``), so their closed form at ``last_epoch = k`` is s(k + 1).
- Keras ``LearningRateSchedule``: evaluated at ``optimizer.iterations = t - 1``.
- MXNet ``mx.lr_scheduler``: evaluated at ``num_update = t``.

Every argument is validated (a clear error says what was wrong and what is allowed), and no schedule
returns a negative or NaN rate.
"""
import math
import numbers

from ._checks import _check


def _steps(name, value, low=1):
    if not (isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= low):
        raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    return int(value)


def _t(t):
    if not (isinstance(t, numbers.Integral) and not isinstance(t, bool) and t >= 1):
        raise ValueError(f"the step t must be an integer >= 1 (steps count from 1), got {t!r}")
    return int(t)


def constant(lr):
    """s(t) = lr."""
    lr = _check("lr", lr, 0)
    return lambda t: (_t(t), lr)[1]


def piecewise_constant(lr, boundaries, factors):
    """s(t) = lr * prod of factors[i] over the boundaries b_i with t > b_i (the rate changes after step b_i)."""
    lr = _check("lr", lr, 0)
    boundaries, factors = list(boundaries), list(factors)
    if len(boundaries) != len(factors):
        raise ValueError(f"boundaries and factors must have the same length, got {len(boundaries)} and {len(factors)}")
    for i, b in enumerate(boundaries):
        _steps(f"boundaries[{i}]", b, 0)
        if i and b <= boundaries[i - 1]:
            raise ValueError(f"boundaries must increase strictly, got {boundaries}")
    factors = [_check(f"factors[{i}]", f, 0) for i, f in enumerate(factors)]

    def s(t):
        t, out = _t(t), lr
        for b, f in zip(boundaries, factors):
            if t > b:
                out *= f
        return out
    return s


def step(lr, step_size, gamma):
    """s(t) = lr * gamma^floor((t - 1) / step_size): multiply by gamma every step_size steps."""
    lr, step_size, gamma = _check("lr", lr, 0), _steps("step_size", step_size), _check("gamma", gamma, 0)
    return lambda t: lr * gamma ** ((_t(t) - 1) // step_size)


def exponential(lr, gamma, decay_steps=1):
    """s(t) = lr * gamma^((t - 1) / decay_steps), smooth."""
    lr, gamma, decay_steps = _check("lr", lr, 0), _check("gamma", gamma, 0), _steps("decay_steps", decay_steps)
    return lambda t: lr * gamma ** ((_t(t) - 1) / decay_steps)


def polynomial(lr, total_steps, end_lr=0.0, power=1.0):
    """s(t) = (lr - end_lr) (1 - (t - 1)/total_steps)^power + end_lr for t - 1 <= total_steps, then end_lr."""
    lr, total_steps = _check("lr", lr, 0), _steps("total_steps", total_steps)
    end_lr, power = _check("end_lr", end_lr, 0), _check("power", power, 0, low_open=True)

    def s(t):
        k = min(_t(t) - 1, total_steps)
        return (lr - end_lr) * (1 - k / total_steps) ** power + end_lr
    return s


def inverse_sqrt(lr, warmup_steps):
    """The Transformer schedule: s(t) = lr * min(t / warmup_steps, sqrt(warmup_steps / t)); peak lr at t = warmup_steps."""
    lr, warmup_steps = _check("lr", lr, 0), _steps("warmup_steps", warmup_steps)
    return lambda t: lr * min(_t(t) / warmup_steps, math.sqrt(warmup_steps / t))


def cosine(lr, total_steps, final_lr=0.0):
    """s(t) = final_lr + (lr - final_lr)(1 + cos(pi k / total_steps))/2 with k = min(t - 1, total_steps).

    After step total_steps + 1 it stays at final_lr (PyTorch's CosineAnnealingLR instead goes back up)."""
    lr, total_steps, final_lr = _check("lr", lr, 0), _steps("total_steps", total_steps), _check("final_lr", final_lr, 0)

    def s(t):
        k = min(_t(t) - 1, total_steps)
        return final_lr + (lr - final_lr) * (1 + math.cos(math.pi * k / total_steps)) / 2
    return s


def linear(start_lr, end_lr, steps):
    """s(t) = start_lr + (end_lr - start_lr) min(t - 1, steps) / steps: end_lr from step steps + 1 on."""
    start_lr, end_lr, steps = _check("start_lr", start_lr, 0), _check("end_lr", end_lr, 0), _steps("steps", steps)
    return lambda t: start_lr + (end_lr - start_lr) * min(_t(t) - 1, steps) / steps


def join(schedules, boundaries):
    """schedules[0] for t <= boundaries[0], then schedules[1] restarted at its own step 1, and so on."""
    schedules, boundaries = list(schedules), list(boundaries)
    if not schedules or any(not callable(f) for f in schedules):
        raise ValueError("schedules must be a non-empty list of functions t -> lr")
    if len(boundaries) != len(schedules) - 1:
        raise ValueError(f"join needs len(schedules) - 1 = {len(schedules) - 1} boundaries, got {len(boundaries)}")
    for i, b in enumerate(boundaries):
        _steps(f"boundaries[{i}]", b)
        if i and b <= boundaries[i - 1]:
            raise ValueError(f"boundaries must increase strictly, got {boundaries}")

    def s(t):
        t, start = _t(t), 0
        for f, b in zip(schedules, boundaries):
            if t <= b:
                return f(t - start)
            start = b
        return schedules[-1](t - start)
    return s


def warmup_cosine(peak_lr, warmup_steps, total_steps, init_lr=0.0, final_lr=0.0):
    """Linear warmup from init_lr (step 1) to peak_lr (step warmup_steps + 1), then cosine to final_lr at total_steps + 1."""
    warmup_steps, total_steps = _steps("warmup_steps", warmup_steps), _steps("total_steps", total_steps)
    if total_steps <= warmup_steps:
        raise ValueError(f"total_steps must exceed warmup_steps, got {total_steps} <= {warmup_steps}")
    return join([linear(init_lr, peak_lr, warmup_steps), cosine(peak_lr, total_steps - warmup_steps, final_lr)],
                [warmup_steps])


def one_cycle(max_lr, total_steps, pct_start=0.3, div_factor=25.0, final_div_factor=1e4):
    """Smith's one-cycle (PyTorch's OneCycleLR, cosine anneal, three_phase=False): cosine from max_lr/div_factor
    up to max_lr over the first pct_start*total_steps - 1 steps, then cosine down to max_lr/div_factor/final_div_factor
    at step total_steps; after that it stays there."""
    max_lr, total_steps = _check("max_lr", max_lr, 0), _steps("total_steps", total_steps, 2)
    pct_start = _check("pct_start", pct_start, 0, 1, low_open=True, high_open=True)
    div_factor = _check("div_factor", div_factor, 0, low_open=True)
    final_div_factor = _check("final_div_factor", final_div_factor, 0, low_open=True)
    start, end = max_lr / div_factor, max_lr / div_factor / final_div_factor
    up = float(pct_start * total_steps) - 1
    down = float(total_steps - 1)
    if up <= 0:
        raise ValueError(f"pct_start * total_steps must exceed 1, got {pct_start * total_steps}")

    def cos(a, b, frac):
        return b + (a - b) * (1 + math.cos(math.pi * frac)) / 2

    def s(t):
        k = min(_t(t) - 1, down)
        if k <= up:
            return cos(start, max_lr, k / up)
        return cos(max_lr, end, (k - up) / (down - up))
    return s
