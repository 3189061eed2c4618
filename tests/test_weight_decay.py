"""Weight decay: the NumPy references (L2, Decoupled, AdamW) by hand and their argument checks; every framework's
weight decay matched to the reference it claims to be; AdamW on the digits MLP the same in five backends."""
import numpy as np
import pytest

from conftest import BACKENDS
from jobs import weight_decay as job

from d2l_lite import optim

REL_TOL = 1e-4
POINT_TOL = 1e-5         # three steps on values up to ~3 (SGD probes are compared relative)


def reference(opt):
    a, x = np.array(job.A, np.float32), [np.array(job.X0, np.float32)]
    state = opt.init(x)
    for _ in range(job.STEPS):
        opt.update(x, [a * x[0]], state)
    return x[0]


@pytest.mark.parametrize("make,message", [
    (lambda: optim.AdamW(wd=-1.0), "wd must be a finite number in [0, inf), got -1.0"),
    (lambda: optim.AdamW(decay_order="middle"), "decay_order"),
    (lambda: optim.Decoupled(optim.SGD(), 0.1, decay_times_lr="yes"), "decay_times_lr"),
    (lambda: optim.L2(optim.SGD, 0.1), "inner must be an optimizer instance"),
])
def test_bad_arguments(make, message):
    with pytest.raises((ValueError, TypeError)) as e:
        make()
    assert message in str(e.value), str(e.value)


def test_mask_length_checked():
    opt = optim.L2(optim.SGD(lr=0.1), 0.1, mask=[True])
    with pytest.raises(ValueError, match="mask has 1 entries but there are 2 parameters"):
        opt.init([np.zeros(2), np.zeros(3)])


def test_first_steps_by_hand():
    lr, wd = 0.1, 0.5
    x0, g = np.array([1.0, -2.0]), np.array([0.3, 4.0])
    # SGD + L2 and SGD + decoupled decay: (1 - lr wd) x - lr g, the same rule
    for opt in (optim.L2(optim.SGD(lr=lr), wd), optim.Decoupled(optim.SGD(lr=lr), wd)):
        p = [x0.copy()]
        opt.update(p, [g], opt.init(p))
        np.testing.assert_allclose(p[0], (1 - lr * wd) * x0 - lr * g, rtol=1e-12)
    # AdamW, first step: v_hat = g, s_hat = g^2, so the Adam step is lr * sign(g) (up to eps)
    p = [x0.copy()]
    opt = optim.AdamW(lr=lr, wd=wd, eps=0.0)
    opt.update(p, [g], opt.init(p))
    np.testing.assert_allclose(p[0], x0 - lr * wd * x0 - lr * np.sign(g), rtol=1e-12)
    # decay after the step: (1 - lr wd)(x - step)
    p = [x0.copy()]
    opt = optim.AdamW(lr=lr, wd=wd, eps=0.0, decay_order="after")
    opt.update(p, [g], opt.init(p))
    np.testing.assert_allclose(p[0], (1 - lr * wd) * (x0 - lr * np.sign(g)), rtol=1e-12)
    # a mask spares the bias
    p = [x0.copy(), x0.copy().reshape(1, 2)]
    opt = optim.Decoupled(optim.SGD(lr=lr), wd, mask=lambda q: q.ndim > 1)
    opt.update(p, [np.zeros(2), np.zeros((1, 2))], opt.init(p))
    np.testing.assert_array_equal(p[0], x0)
    np.testing.assert_allclose(p[1][0], (1 - lr * wd) * x0)


def test_l2_and_decoupled_differ_for_adam():
    coupled = reference(optim.L2(optim.Adam(lr=job.LR), job.WD))
    decoupled = reference(optim.AdamW(lr=job.LR, wd=job.WD))
    assert np.abs(coupled - decoupled).max() > 0.05


def _close(got, ref, relative=False):
    got = np.array(got)
    d = np.abs(got - ref).max()
    return d / np.abs(ref).max() < 1e-6 if relative else d < POINT_TOL


@pytest.mark.parametrize("backend", [b for b in BACKENDS if b != "numpy"])
def test_builtin_weight_decay_is_what_the_section_says(backend_job, backend):
    pr = backend_job(backend, "weight_decay_builtin")["probes"]
    l2_adam = reference(optim.L2(optim.Adam(lr=job.LR), job.WD))
    adamw = reference(optim.AdamW(lr=job.LR, wd=job.WD))
    if backend == "torch":
        assert _close(pr["adam_wd"], l2_adam) and _close(pr["adamw"], adamw)
        assert _close(pr["sgd_momentum_wd"], reference(optim.L2(optim.SGD(lr=job.LR, momentum=0.9), job.WD)),
                      relative=True)
    elif backend == "tensorflow":
        keras_adamw = reference(optim.AdamW(lr=job.LR, wd=job.WD, eps=1e-7, eps_hat=True))
        assert _close(pr["adam_wd"], keras_adamw) and _close(pr["adamw"], keras_adamw)
        assert _close(pr["sgd_wd"], reference(optim.Decoupled(optim.SGD(lr=job.LR), job.WD)), relative=True)
        assert abs(pr["adamw_default_wd"] - 0.004) < 1e-12
    elif backend == "mxnet":
        assert _close(pr["adam_wd"], reference(optim.L2(optim.Adam(lr=job.LR, eps_hat=True), job.WD)))
        sgd = reference(optim.L2(optim.SGD(lr=job.LR, momentum=0.9, lr_in_velocity=True), job.WD))
        assert _close(pr["sgd_momentum_wd"], sgd, relative=True)
        assert pr["has_adamw_class"] is False
    else:
        assert _close(pr["adam_wd"], l2_adam) and _close(pr["adamw"], adamw)
        assert _close(pr["sgd_wd"], reference(optim.L2(optim.SGD(lr=job.LR), job.WD)), relative=True)


@pytest.mark.parametrize("backend", [b for b in BACKENDS if b != "numpy"])
def test_adamw_on_the_network_agrees_with_numpy(backend_job, backend):
    ref = backend_job("numpy", "weight_decay_builtin")
    got = backend_job(backend, "weight_decay_builtin")
    assert abs(got["final_loss"] - ref["final_loss"]) / ref["final_loss"] <= REL_TOL, (got, ref)
    assert got["test_correct"] == ref["test_correct"]
    assert got["final_loss"] < 0.5 * got["losses0"]
