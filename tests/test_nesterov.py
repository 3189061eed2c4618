"""Nesterov momentum, NAdam and AMSGrad: the NumPy references by hand and their argument checks; the
from-scratch rules of book/nesterov.md in five backends; every built-in matched to its NumPy variant."""
import functools
import math

import numpy as np
import pytest

from conftest import BACKENDS
from jobs import nesterov as job

from d2l_lite import optim

REL_TOL = 1e-4           # final training losses agree within this, relative (as in test_network)
POINT_TOL = 1e-6         # probe: a match is float32 rounding away


def rel(a, b):
    return abs(a - b) / max(abs(a), abs(b))


# --- the NumPy references: bad hyperparameters ---------------------------------------------------

def test_nesterov_needs_momentum():
    with pytest.raises(ValueError, match=r"nesterov=True needs a momentum in \(0, 1\), got momentum=0.0"):
        optim.SGD(lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="nesterov must be one of False, True, got 'yes'"):
        optim.SGD(lr=0.1, momentum=0.9, nesterov="yes")


@pytest.mark.parametrize("kwargs,message", [
    ({"lr": 0.0}, "lr must be a finite number in (0, inf), got 0.0"),
    ({"beta1": 1.0}, "beta1 must be a finite number in [0, 1), got 1.0"),
    ({"beta2": -0.1}, "beta2 must be a finite number in [0, 1), got -0.1"),
    ({"eps": float("nan")}, "eps must be a finite number in [0, inf), got nan"),
    ({"momentum_decay": -1e-3}, "momentum_decay must be a finite number in [0, inf), got -0.001"),
    ({"momentum_schedule": "no"}, "momentum_schedule must be one of False, True, got 'no'"),
    ({"mu_product": "shared"}, "mu_product must be one of 'per_step', 'per_update', got 'shared'"),
    ({"order": (1, 0)}, "order only matters with mu_product='per_update'"),
    ({"mu_product": "per_update", "order": (0, 0, 1)}, "order must be a permutation of 0, ..., k - 1"),
    ({"mu_product": "per_update", "order": "10"}, "order must be a permutation of 0, ..., k - 1"),
])
def test_nadam_bad_hyperparameter(kwargs, message):
    with pytest.raises(ValueError) as e:
        optim.NAdam(**kwargs)
    assert str(e.value).startswith(message), str(e.value)


def test_nadam_order_must_fit_the_parameters():
    opt = optim.NAdam(mu_product="per_update", order=(1, 0))
    params = [np.zeros(2), np.zeros(2), np.zeros(1)]
    with pytest.raises(ValueError, match="order has 2 entries but there are 3 parameters"):
        opt.update(params, [np.ones(2), np.ones(2), np.ones(1)], opt.init(params))


def test_amsgrad_flag_is_checked():
    with pytest.raises(ValueError, match="amsgrad must be one of False, True, got 'max'"):
        optim.Adam(amsgrad="max")


def test_defaults_unchanged():
    assert not optim.SGD(lr=0.1, momentum=0.9).nesterov
    assert "s_max" not in optim.Adam().init([np.zeros(2)])
    optim.NAdam()


# --- the NumPy references: steps by hand ----------------------------------------------------------

X0, G1, G2 = np.array([0.5, -1.0, 2.0]), np.array([0.2, -3.0, 0.0]), np.array([-0.4, 1.0, 0.5])


def run(opt, grads, lrs=None):
    x = [X0.copy()]
    state = opt.init(x)
    for i, g in enumerate(grads):
        if lrs:
            opt.lr = lrs[i]
        opt.update(x, [g.copy()], state)
    return x[0], state


@pytest.mark.parametrize("lr_in_velocity", [False, True])
def test_nesterov_two_steps(lr_in_velocity):
    lr, beta = 0.1, 0.9
    x, _ = run(optim.SGD(lr=lr, momentum=beta, nesterov=True, lr_in_velocity=lr_in_velocity), [G1, G2])
    x1 = X0 - lr * (1 + beta) * G1                      # the first step: (1 + beta) gradient steps
    v1 = G1
    v2 = beta * v1 + G2
    np.testing.assert_allclose(x, x1 - lr * (G2 + beta * v2), rtol=1e-12)


def test_nesterov_conventions_split_when_lr_changes():
    a, _ = run(optim.SGD(lr=0.1, momentum=0.9, nesterov=True), [G1, G2], lrs=[0.1, 0.02])
    b, _ = run(optim.SGD(lr=0.1, momentum=0.9, nesterov=True, lr_in_velocity=True), [G1, G2], lrs=[0.1, 0.02])
    v2 = 0.9 * G1 + G2
    np.testing.assert_allclose(a, X0 - 0.1 * 1.9 * G1 - 0.02 * (G2 + 0.9 * v2), rtol=1e-12)
    u2 = 0.9 * (-0.1 * G1) - 0.02 * G2
    np.testing.assert_allclose(b, X0 - 0.1 * 1.9 * G1 + 0.9 * u2 - 0.02 * G2, rtol=1e-12)
    assert np.abs(a - b).max() > 0.1


def test_nesterov_is_sutskever_lookahead():
    """The frameworks' form holds x_t = theta_t - lr beta v_t of the look-ahead form (on a quadratic)."""
    lr, beta, H = 0.05, 0.8, np.diag([1.0, 5.0, 0.2])
    opt = optim.SGD(lr=lr, momentum=beta, nesterov=True)
    x, theta, v_s = X0.copy(), X0.copy(), np.zeros(3)
    state = opt.init([x])
    for _ in range(20):
        opt.update([x], [H @ x], state)
        v_s = beta * v_s + H @ (theta - lr * beta * v_s)
        theta = theta - lr * v_s
        np.testing.assert_allclose(x, theta - lr * beta * v_s, rtol=1e-10, atol=1e-12)


def mu(t, psi=4e-3, beta1=0.9):
    return beta1 * (1 - 0.5 * 0.96 ** (t * psi))


def test_nadam_two_steps():
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    x, state = run(optim.NAdam(lr=lr), [G1, G2])
    xh = X0.copy()
    v, s, P = np.zeros(3), np.zeros(3), 1.0
    for t, g in ((1, G1), (2, G2)):
        P *= mu(t)
        v = b1 * v + (1 - b1) * g
        s = b2 * s + (1 - b2) * g * g
        v_bar = mu(t + 1) * v / (1 - P * mu(t + 1)) + (1 - mu(t)) * g / (1 - P)
        xh = xh - lr * v_bar / (np.sqrt(s / (1 - b2 ** t)) + eps)
    np.testing.assert_allclose(x, xh, rtol=1e-12)
    assert state["t"] == 2 and math.isclose(state["mu_product"], mu(1) * mu(2), rel_tol=1e-15)


def test_nadam_simple_form_first_step():
    lr, b1 = 0.01, 0.9
    x, _ = run(optim.NAdam(lr=lr, eps=0.0, momentum_schedule=False), [G2])
    # v_1 = (1 - b1) g, s_hat = g^2: v_bar = g (b1 (1 - b1) / (1 - b1^2) + 1), divided by |g|
    factor = b1 / (1 + b1) + 1
    np.testing.assert_allclose(x, X0 - lr * factor * np.sign(G2), rtol=1e-12)


def test_nadam_per_update_product():
    """MXNet's product: parameter i at step t uses P_{t-1}^k mu_t^(i+1); one parameter: as per step."""
    one = [run(optim.NAdam(lr=0.01, mu_product=p), [G1, G2])[0] for p in ("per_step", "per_update")]
    np.testing.assert_allclose(one[0], one[1], rtol=1e-14)
    opt = optim.NAdam(lr=0.01, mu_product="per_update", order=(1, 0))
    params = [X0.copy(), X0.copy()]
    state = opt.init(params)
    for t, g in ((1, G1), (2, G2)):
        opt.update(params, [g.copy(), g.copy()], state)
    assert math.isclose(state["mu_product"], (mu(1) * mu(2)) ** 2, rel_tol=1e-14)
    assert not np.allclose(params[0], params[1])     # identical gradients, different updates
    # with order (1, 0), parameter 1 is updated first, with the smaller product exponent
    first = run(optim.NAdam(lr=0.01), [G1, G2])[0]
    assert np.abs(params[1] - first).max() < np.abs(params[0] - first).max()


def test_amsgrad_uses_the_maximum():
    lr, b1, b2, eps = 0.01, 0.9, 0.9, 1e-3
    grads = [np.array([1.0, -2.0, 0.5]), np.array([0.1, 0.2, -0.05])]
    x, state = run(optim.Adam(lr=lr, beta2=b2, eps=eps, amsgrad=True), grads)
    s1 = (1 - b2) * grads[0] ** 2
    s2 = b2 * s1 + (1 - b2) * grads[1] ** 2
    assert np.all(s2 < s1)                           # s fell: the maximum is s1
    v1 = (1 - b1) * grads[0]
    v2 = b1 * v1 + (1 - b1) * grads[1]
    x1 = X0 - lr * (v1 / (1 - b1)) / (np.sqrt(s1 / (1 - b2)) + eps)
    x2 = x1 - lr * (v2 / (1 - b1 ** 2)) / (np.sqrt(s1 / (1 - b2 ** 2)) + eps)
    np.testing.assert_allclose(x, x2, rtol=1e-12)
    np.testing.assert_allclose(state["s_max"][0], s1, rtol=1e-12)
    plain, _ = run(optim.Adam(lr=lr, beta2=b2, eps=eps), grads)
    assert np.abs(plain - x).max() > 1e-4


# --- five backends ------------------------------------------------------------------------------

def net(backend_job, backend):
    return backend_job(backend, "nesterov_network")


@pytest.mark.parametrize("rule", ["nesterov", "nadam"])
def test_scratch_agrees_across_backends(backend_job, rule):
    ref = net(backend_job, "numpy")["scratch"][rule]
    assert ref["final_loss"] < 0.8 * ref["losses"][0]            # it learned
    for b in BACKENDS:
        r = net(backend_job, b)["scratch"][rule]
        assert not r["diverged"], b
        assert rel(r["final_loss"], ref["final_loss"]) <= REL_TOL, (b, r["final_loss"], ref["final_loss"])
        assert r["test_corrects"][-1] == ref["test_corrects"][-1], b


SAME_AS = {"numpy": "scratch", "torch": "scratch", "tensorflow": "nadam_psi_1", "mxnet": "nadam_per_update",
           "paddle": "scratch"}


@pytest.mark.parametrize("backend", BACKENDS)
def test_builtins_match_their_variant(backend_job, backend):
    out, ref = net(backend_job, backend), net(backend_job, "numpy")
    nag = out["builtin"]["nesterov"]
    assert rel(nag["final_loss"], ref["scratch"]["nesterov"]["final_loss"]) <= REL_TOL, backend
    assert nag["test_corrects"][-1] == ref["scratch"]["nesterov"]["test_corrects"][-1]
    nadam = out["builtin"]["nadam"]
    variant = ref["scratch"]["nadam"] if SAME_AS[backend] == "scratch" else ref["variants"][SAME_AS[backend]]
    assert rel(nadam["final_loss"], variant["final_loss"]) <= REL_TOL, (backend, nadam["final_loss"],
                                                                         variant["final_loss"])
    if SAME_AS[backend] != "scratch":            # and the variant is not the textbook rule: the difference is real
        assert rel(nadam["final_loss"], ref["scratch"]["nadam"]["final_loss"]) > 10 * REL_TOL, backend


# --- probes: each built-in on fixed gradients, against the NumPy candidates -------------------------

def reference_points(make, p0, grads, lrs=None):
    p = [np.array(x, dtype=np.float32) for x in p0]
    opt = make()
    state, points = opt.init(p), []
    for t, gs in enumerate(grads):
        if lrs is not None:
            opt.lr = lrs[t]
        opt.update(p, [np.array(g, dtype=np.float32) for g in gs], state)
        points.append(np.concatenate(p))
    return np.array(points)


def distances(points, candidates, p0, grads, lrs=None):
    return {name: float(np.abs(np.array(points) - reference_points(make, p0, grads, lrs)).max())
            for name, make in candidates.items()}


P = functools.partial
NESTEROV = {"A": P(optim.SGD, lr=0.1, momentum=0.9, nesterov=True),
            "B": P(optim.SGD, lr=0.1, momentum=0.9, nesterov=True, lr_in_velocity=True),
            "heavy ball": P(optim.SGD, lr=0.1, momentum=0.9)}
NADAM = {"simple": P(optim.NAdam, lr=job.NADAM_LR, eps=job.NADAM_EPS, momentum_schedule=False)}
for _psi in (4e-3, 1.0):
    for _product in ("per_step", "per_update"):
        NADAM[f"{_psi:g} {_product}"] = P(optim.NAdam, lr=job.NADAM_LR, eps=job.NADAM_EPS, momentum_decay=_psi,
                                          mu_product=_product)
AMSGRAD = {f"{ams} {hat}": P(optim.Adam, **job.AMS_HP, amsgrad=ams, eps_hat=hat)
           for ams in (False, True) for hat in (False, True)}

EXPECTED = {   # backend: (Nesterov convention, NAdam variant, AMSGrad variant)
    "numpy": ("A", "0.004 per_step", "True False"),
    "torch": ("A", "0.004 per_step", "True False"),
    "tensorflow": ("B", "1 per_step", "True True"),
    "mxnet": ("B", "0.004 per_update", None),
    "paddle": ("A", "0.004 per_step", "True False"),
}


@pytest.mark.parametrize("backend", BACKENDS)
def test_probes_match(backend_job, backend):
    probes = net(backend_job, backend)["probes"]
    want_nag, want_nadam, want_ams = EXPECTED[backend]
    for got, candidates, want, args in (
            (probes["nesterov"], NESTEROV, want_nag, (job.P0, job.GRADS, job.LRS)),
            (probes["nadam"], NADAM, want_nadam, (job.P0, job.GRADS)),
            (probes["amsgrad"], AMSGRAD, want_ams, ([job.AMS_P0], [[g] for g in job.AMS_GRADS]))):
        if want is None:
            assert got is None
            continue
        d = distances(got, candidates, *args)
        others = [v for k, v in d.items() if k != want]
        assert d[want] < POINT_TOL, (backend, want, d)
        assert min(others) > 10 * POINT_TOL, (backend, d)       # and no other candidate is close


@pytest.mark.parametrize("backend", BACKENDS)
def test_facts(backend_job, backend):
    f = net(backend_job, backend)["facts"]
    if backend == "mxnet":
        assert f["nag_default_momentum"] == 0.0 and f["nadam_shared_product"] and f["nadam_has_psi"]
        assert not f["adam_has_amsgrad"] and f["trainer_sorts_params"]
        return
    assert f["nesterov_default"] is False and f["amsgrad_default"] is False
    assert f["nadam_has_psi"] is (backend != "tensorflow")      # Keras's Nadam has no psi: 0.96 ** t
    if backend == "torch":
        assert f["nesterov_without_momentum_error"] == "Nesterov momentum requires a momentum and zero dampening"
