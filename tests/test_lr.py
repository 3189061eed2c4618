"""Learning-rate schedules in the training loop: the rate reaches the rule at every step (also under
TensorFlow's compiled step), each framework's own scheduler is stepped once per optimizer step, the
rates are recorded, and a bad rate is a clear error that names the step."""
import math

import pytest

from conftest import BACKENDS
from jobs.lr import EPOCHS, LR0, reference

STEPS_PER_EPOCH = 150          # airfoil: 1500 examples, batches of 10


def job(backend_job, backend):
    return backend_job(backend, "lr_schedule")


def rel(a, b):
    return abs(a - b) / max(abs(a), abs(b))


@pytest.mark.parametrize("backend", BACKENDS)
def test_recorded_rates_follow_the_schedule(backend_job, backend):
    out = job(backend_job, backend)
    for kind in ("scratch", "builtin"):
        r = out[kind]
        steps = [round(e * STEPS_PER_EPOCH) for e in r["epochs"]]
        expected = [reference(max(t, 1)) for t in steps]
        assert len(r["lrs"]) == len(r["losses"])
        for t, got, want in zip(steps, r["lrs"], expected):
            assert math.isclose(got, want, rel_tol=1e-5), (kind, t, got, want)   # float32 powers in Keras
        assert r["lrs"][-1] < 0.75 * LR0          # the rate did fall: 0.999^299 = 0.74


@pytest.mark.parametrize("backend", BACKENDS)
def test_constant_schedule_is_the_constant_rate(backend_job, backend):
    """The schedule reaches the rule: a constant schedule trains exactly as hyperparams['lr'] does."""
    out = job(backend_job, backend)
    a, b = out["scratch_constant_schedule"], out["scratch_constant"]
    assert rel(a["final_loss"], b["final_loss"]) < 1e-6, (a["final_loss"], b["final_loss"])
    assert b["lrs"] == [LR0] * len(b["losses"])
    assert out["builtin_no_scheduler_lrs"] and all(math.isclose(x, LR0, rel_tol=1e-6)
                                                   for x in out["builtin_no_scheduler_lrs"])


@pytest.mark.parametrize("backend", BACKENDS)
def test_decay_changes_the_run_and_builtin_matches_scratch(backend_job, backend):
    out = job(backend_job, backend)
    s, b, c = out["scratch"], out["builtin"], out["scratch_constant"]
    assert rel(s["final_loss"], c["final_loss"]) > 1e-4      # a decaying rate is a different run
    assert rel(b["final_loss"], s["final_loss"]) < 1e-5, (b["final_loss"], s["final_loss"])
    assert abs(b["epochs"][-1] - EPOCHS) < 1e-9


def test_same_numbers_in_every_backend(backend_job):
    ref = job(backend_job, "numpy")["scratch"]["final_loss"]
    for backend in BACKENDS:
        got = job(backend_job, backend)["scratch"]["final_loss"]
        assert rel(got, ref) < 1e-5, (backend, got, ref)


@pytest.mark.parametrize("backend", BACKENDS)
def test_first_step_of_rate_zero_is_not_an_error(backend_job, backend):
    r = job(backend_job, backend)["scratch_zero_first"]
    assert r["lrs"][0] == 0.0 and not r["diverged"] and r["final_loss"] < r["losses"][0]


@pytest.mark.parametrize("backend", BACKENDS)
def test_bad_rates_are_clear_errors(backend_job, backend):
    e = job(backend_job, backend)["errors"]
    for name, step in (("negative", 3), ("nan", 5), ("string", 1), ("none", 1)):
        assert e[name]["type"] == "ValueError", (name, e[name])
        assert f"for step {step};" in e[name]["message"] and "finite number >= 0" in e[name]["message"], e[name]
    assert e["lr_and_schedule"]["type"] == "ValueError" and "leave 'lr' out" in e["lr_and_schedule"]["message"]
    assert e["not_callable"]["type"] == "TypeError" and "function of the step" in e["not_callable"]["message"]
    assert e["wrong_scheduler"]["type"] == "TypeError" and "scheduler must be" in e["wrong_scheduler"]["message"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_plot_shows_the_rate_when_it_changes(backend_job, backend):
    out = job(backend_job, backend)
    assert out["plot_ylabels"] == ["training loss", "learning rate"]
    assert out["plot_ylabels_constant"] == ["loss"]


def test_mxnet_adam_keeps_the_schedulers_base_rate(backend_job):
    """MXNet's Adam passes learning_rate=0.001 to Optimizer, which overwrites lr_scheduler.base_lr unless
    train_concise passes the scheduler's own base rate."""
    lrs = job(backend_job, "mxnet")["adam_scheduler_lrs"]
    assert abs(lrs[0] - LR0) < 1e-9                    # the scheduler's base rate, not Adam's default 0.001
    assert all(0.5 * LR0 < lr <= LR0 for lr in lrs) and lrs[-1] < LR0    # and it decays from there
