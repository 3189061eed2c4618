"""Muon: the NumPy reference (newton_schulz, lr_factor, Muon) by hand and its argument checks; the
from-scratch rule of book/muon.md in five backends; torch.optim.Muon and keras.optimizers.Muon against it."""
import math

import numpy as np
import pytest

from conftest import BACKENDS

from d2l_lite import optim
from d2l_lite.optim.muon import lr_factor, newton_schulz

REL_TOL = 1e-4           # final training losses agree within this, relative (as in test_network)


def rel(a, b):
    return abs(a - b) / max(abs(a), abs(b))


def rotation(angle):
    return np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])


# --- newton_schulz --------------------------------------------------------------------------------

def test_newton_schulz_acts_on_singular_values():
    """On U diag(s) V^T, k steps give U diag(p^k(s / ||s||)) V^T."""
    U, V, s = rotation(0.3), rotation(-1.1), np.array([2.0, 0.5])
    G = U @ np.diag(s) @ V.T
    a, b, c = optim.muon.COEFFICIENTS
    x = s / (np.linalg.norm(s) + 1e-7)
    for _ in range(5):
        x = a * x + b * x ** 3 + c * x ** 5
    np.testing.assert_allclose(newton_schulz(G), U @ np.diag(x) @ V.T, rtol=1e-10, atol=1e-12)
    assert np.all((x > 0.6) & (x < 1.25)) and np.abs(x - 1).max() > 0.05      # near 1, not 1


def test_cubic_converges_to_the_orthogonal_factor():
    rng = np.random.default_rng(0)
    G = rng.normal(size=(6, 4))
    U, _, Vt = np.linalg.svd(G, full_matrices=False)
    O = newton_schulz(G, steps=30, coefficients=(1.5, -0.5, 0.0))
    np.testing.assert_allclose(O, U @ Vt, atol=1e-8)
    # the quintic is faster but stops near, not at, U V^T
    assert 1e-3 < np.abs(newton_schulz(G) - U @ Vt).max() < 0.5


def test_newton_schulz_tall_equals_transposed_wide():
    G = np.random.default_rng(1).normal(size=(7, 3))
    np.testing.assert_allclose(newton_schulz(G), newton_schulz(G.T).T, rtol=1e-12)
    assert newton_schulz(G).shape == (7, 3)


@pytest.mark.parametrize("kwargs,message", [
    ({"G": np.zeros(3)}, "newton_schulz needs a matrix (2-D array), got an array of shape (3,)"),
    ({"steps": 2.5}, "steps must be an integer from 0 to 99, got 2.5"),
    ({"steps": True}, "steps must be an integer from 0 to 99, got True"),
    ({"coefficients": (1, 2)}, "coefficients must be three finite numbers (a, b, c), got (1, 2)"),
    ({"coefficients": (1, 2, float("nan"))}, "coefficients[2] must be a finite number"),
    ({"eps": -1.0}, "eps must be a finite number in [0, inf), got -1.0"),
])
def test_newton_schulz_bad_arguments(kwargs, message):
    kwargs = {"G": np.eye(2), **kwargs}
    with pytest.raises(ValueError) as e:
        newton_schulz(kwargs.pop("G"), **kwargs)
    assert str(e.value).startswith(message), str(e.value)


def test_lr_factor():
    assert lr_factor((64, 64)) == 1.0
    assert lr_factor((10, 40)) == 2.0                       # sqrt(fan_out / fan_in)
    assert lr_factor((40, 10)) == 1.0
    assert math.isclose(lr_factor((64, 10), "match_rms_adamw"), 0.2 * 8)
    assert lr_factor((64, 10), "none") == 1.0
    with pytest.raises(ValueError, match="adjust_lr must be one of 'original', 'match_rms_adamw', 'none'"):
        lr_factor((2, 2), "spectral")


# --- Muon -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs,message", [
    ({"lr": 0.0}, "lr must be a finite number in (0, inf), got 0.0"),
    ({"momentum": 1.0}, "momentum must be a finite number in [0, 1), got 1.0"),
    ({"nesterov": "yes"}, "nesterov must be one of False, True, got 'yes'"),
    ({"ns_steps": -1}, "ns_steps must be an integer from 0 to 99, got -1"),
    ({"weight_decay": -0.1}, "weight_decay must be a finite number in [0, inf), got -0.1"),
    ({"adjust_lr": "rms"}, "adjust_lr must be one of"),
    ({"muon_params": "0"}, "muon_params must be None or a sequence of parameter indices"),
    ({"adam_lr": -1.0}, "adam_lr must be a finite number in (0, inf), got -1.0"),
    ({"adam_beta2": 1.0}, "beta2 must be a finite number in [0, 1), got 1.0"),
])
def test_muon_bad_hyperparameter(kwargs, message):
    with pytest.raises(ValueError) as e:
        optim.Muon(**kwargs)
    assert str(e.value).startswith(message), str(e.value)


def test_muon_refuses_a_vector_and_splits_by_default():
    params = [np.zeros((4, 3)), np.zeros(3), np.zeros((3, 2)), np.zeros(2)]
    assert optim.Muon().split(params) == ([0], [1, 2, 3])         # the output matrix gets AdamW
    assert optim.Muon(muon_params=(0, -2)).split(params) == ([0, 2], [1, 3])
    with pytest.raises(ValueError, match=r"Muon needs matrices: parameter 1 has shape \(3,\)"):
        optim.Muon(muon_params=(1,)).split(params)
    with pytest.raises(ValueError, match="muon_params holds the index 7, but there are only 4 parameters"):
        optim.Muon(muon_params=(7,)).split(params)


def test_muon_two_steps_by_hand():
    rng = np.random.default_rng(2)
    W0, b0 = rng.normal(size=(4, 3)), rng.normal(size=3)
    g1, g2 = [(rng.normal(size=(4, 3)), rng.normal(size=3)) for _ in range(2)]
    lr, beta, wd, alr = 0.02, 0.9, 0.1, 0.01
    opt = optim.Muon(lr=lr, momentum=beta, weight_decay=wd, adam_lr=alr, adam_weight_decay=0.5,
                     muon_params=(0,))
    params = [W0.copy(), b0.copy()]
    state = opt.init(params)
    for gW, gb in (g1, g2):
        opt.update(params, [gW.copy(), gb.copy()], state)
    W, v = W0.copy(), np.zeros_like(W0)
    for gW, _ in (g1, g2):
        v = beta * v + gW
        W = W - lr * wd * W - lr * 1.0 * newton_schulz(gW + beta * v)   # (4, 3): factor max(1, 3/4)^0.5 = 1
    np.testing.assert_allclose(params[0], W, rtol=1e-12)
    b, m, s = b0.copy(), np.zeros(3), np.zeros(3)
    for t, (_, gb) in enumerate((g1, g2), 1):
        b = b - alr * 0.5 * b
        m = 0.9 * m + 0.1 * gb
        s = 0.999 * s + 0.001 * gb * gb
        b = b - alr * (m / (1 - 0.9 ** t)) / (np.sqrt(s / (1 - 0.999 ** t)) + 1e-8)
    np.testing.assert_allclose(params[1], b, rtol=1e-12)


def test_muon_leaky_momentum_gives_the_same_step():
    """Newton-Schulz divides the scale out: v and (1 - beta) v give the same update, up to eps."""
    G = np.random.default_rng(4).normal(size=(5, 5))
    np.testing.assert_allclose(newton_schulz(G, eps=0), newton_schulz(0.05 * G, eps=0), rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(newton_schulz(G), newton_schulz(0.05 * G), atol=1e-5)


def test_muon_without_nesterov_uses_the_momentum():
    G1, G2 = np.random.default_rng(5).normal(size=(2, 3, 3))
    opt = optim.Muon(lr=0.1, momentum=0.5, nesterov=False, muon_params=(0,))
    p = [np.zeros((3, 3))]
    state = opt.init(p)
    opt.update(p, [G1.copy()], state)
    opt.update(p, [G2.copy()], state)
    np.testing.assert_allclose(p[0], -0.1 * newton_schulz(G1) - 0.1 * newton_schulz(0.5 * G1 + G2), rtol=1e-12)


# --- five backends ------------------------------------------------------------------------------

def net(backend_job, backend):
    return backend_job(backend, "muon_network")


def test_scratch_agrees_across_backends(backend_job):
    ref = net(backend_job, "numpy")
    base = ref["scratch"]
    assert base["final_loss"] < 0.8 * base["losses"][0]             # it learned
    assert rel(base["final_loss"], ref["reference"]["final_loss"]) <= REL_TOL   # and is d2l_lite.optim.Muon
    for b in BACKENDS:
        r = net(backend_job, b)["scratch"]
        assert not r["diverged"], b
        assert rel(r["final_loss"], base["final_loss"]) <= REL_TOL, (b, r["final_loss"], base["final_loss"])
        assert r["test_corrects"][-1] == base["test_corrects"][-1], b


def test_keras_muon_matches_the_reference(backend_job):
    out = net(backend_job, "tensorflow")
    assert rel(out["builtin"]["final_loss"], out["builtin_reference"]["final_loss"]) <= REL_TOL


def test_torch_muon_is_the_reference_up_to_bfloat16(backend_job):
    out, ref = net(backend_job, "torch"), net(backend_job, "numpy")["reference"]
    d = rel(out["builtin"]["final_loss"], ref["final_loss"])
    assert d < 1e-2, d                    # torch orthogonalizes in bfloat16: close, not float32 rounding


def test_framework_facts(backend_job):
    torch_f = net(backend_job, "torch")["facts"]
    assert torch_f["refuses_bias"]
    assert torch_f["defaults"] == {"lr": 0.001, "weight_decay": 0.1, "momentum": 0.95, "nesterov": True,
                                   "ns_steps": 5, "eps": 1e-07, "adjust_lr_fn": None}
    assert torch_f["ns_coefficients"] == [3.4445, -4.775, 2.0315]
    keras_f = net(backend_job, "tensorflow")["facts"]
    assert keras_f["defaults"] == {"learning_rate": 0.001, "weight_decay": 0.004, "adam_weight_decay": 0.004,
                                   "momentum": 0.95, "ns_steps": 5, "nesterov": True, "rms_rate": 0.2,
                                   "exclude_embeddings": True, "epsilon": 1e-07}
    assert net(backend_job, "mxnet")["facts"]["has_muon"] is False
    assert net(backend_job, "paddle")["facts"]["has_muon"] is False
