"""Lion: the NumPy reference by hand and its argument checks; the from-scratch rule of book/lion.md in five
backends; keras.optimizers.Lion matched to the reference (decay 0 and > 0); the frameworks without Lion."""
import numpy as np
import pytest

from conftest import BACKENDS
from jobs import lion as job

from d2l_lite import optim

REL_TOL = 1e-4           # final training losses agree within this, relative (as in test_network)
POINT_TOL = 1e-6         # probe: a match is float32 rounding away


def rel(a, b):
    return abs(a - b) / max(abs(a), abs(b))


# --- the NumPy reference ------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs,message", [
    ({"lr": 0.0}, "lr must be a finite number in (0, inf), got 0.0"),
    ({"beta1": 1.5}, "beta1 must be a finite number in [0, 1], got 1.5"),
    ({"beta2": -0.1}, "beta2 must be a finite number in [0, 1], got -0.1"),
    ({"weight_decay": -1.0}, "weight_decay must be a finite number in [0, inf), got -1.0"),
    ({"decay_before_step": "yes"}, "decay_before_step must be True or False, got 'yes'"),
])
def test_lion_bad_hyperparameter(kwargs, message):
    with pytest.raises(ValueError) as e:
        optim.Lion(**kwargs)
    assert str(e.value).startswith(message), str(e.value)


def test_lion_first_steps_by_hand():
    lr, wd, b1, b2 = 0.1, 0.5, 0.9, 0.99
    p = [np.array([1.0, -2.0, 0.5], dtype=np.float32)]
    g1, g2 = np.array([0.3, 0.0, -4.0], dtype=np.float32), np.array([-1.0, 0.0, 0.2], dtype=np.float32)
    opt = optim.Lion(lr=lr, beta1=b1, beta2=b2, weight_decay=wd)
    state = opt.init(p)
    opt.update(p, [g1], state)
    x1 = np.array([1.0, -2.0, 0.5]) - lr * (np.sign(g1) + wd * np.array([1.0, -2.0, 0.5]))
    np.testing.assert_allclose(p[0], x1, rtol=1e-6)
    np.testing.assert_allclose(state["v"][0], (1 - b2) * g1, rtol=1e-6)
    # step 2: c = 0.9 * 0.01 g1 + 0.1 g2: coordinate 0 follows g2, coordinate 2 the old momentum (-0.036 beats
    # +0.02), coordinate 1 has seen no gradient and its sign is 0
    opt.update(p, [g2], state)
    c = b1 * (1 - b2) * g1 + (1 - b1) * g2
    np.testing.assert_array_equal(np.sign(c), [-1.0, 0.0, -1.0])
    np.testing.assert_allclose(p[0], x1 - lr * (np.sign(c) + wd * x1), rtol=1e-6)
    # the coordinate with no gradient only decayed
    assert np.isclose(p[0][1], -2.0 * (1 - lr * wd) ** 2)


def test_lion_betas_zero_is_signsgd_and_placements_agree_in_arithmetic():
    rng = np.random.default_rng(0)
    a, b = [rng.normal(size=4)], [rng.normal(size=4)]
    sign_sgd, placed = optim.Lion(lr=0.01, beta1=0.0, beta2=0.0), optim.Lion(lr=0.01, decay_before_step=True)
    sa, sb = sign_sgd.init(a), placed.init(b)
    for _ in range(5):
        g = rng.normal(size=4)
        expected = a[0] - 0.01 * np.sign(g)
        sign_sgd.update(a, [g], sa)
        np.testing.assert_allclose(a[0], expected)
        placed.update(b, [g], sb)
    c_state = optim.Lion(lr=0.01)
    assert c_state.decay_before_step is False and c_state.lr == 1e-2


# --- five backends ------------------------------------------------------------------------------

def net(backend_job, backend):
    return backend_job(backend, "lion_network")


def test_scratch_agrees_across_backends(backend_job):
    runs = {b: net(backend_job, b)["scratch"] for b in BACKENDS}
    ref = runs["numpy"]
    for b, r in runs.items():
        assert not r["diverged"], b
        assert r["num_test"] == 359 and abs(r["epochs"][-1] - job.EPOCHS) < 1e-9
        assert rel(r["losses"][0], ref["losses"][0]) <= REL_TOL, (b, r["losses"][0], ref["losses"][0])
        assert rel(r["final_loss"], ref["final_loss"]) <= REL_TOL, (b, r["final_loss"], ref["final_loss"])
        assert abs(r["test_corrects"][-1] - ref["test_corrects"][-1]) <= 1, (b, r["test_corrects"][-1],
                                                                             ref["test_corrects"][-1])
        # it learned
        assert r["final_loss"] < 0.25 * r["losses"][0], (b, r["losses"][0], r["final_loss"])
        assert r["test_accuracies"][-1] > 0.9, (b, r["test_accuracies"][-1])


def test_numpy_reference_is_the_scratch_rule(backend_job):
    out = net(backend_job, "numpy")
    s = out["scratch"]
    for name in ("textbook", "before"):
        b = out["builtin"][name]
        assert rel(b["final_loss"], s["final_loss"]) <= REL_TOL, (name, b["final_loss"], s["final_loss"])


def test_keras_lion_matches_the_reference(backend_job):
    tf_out, np_out = net(backend_job, "tensorflow"), net(backend_job, "numpy")
    for wd in job.PROBE_WDS:
        keras_points = np.array(tf_out["probe"][f"keras_{wd:g}"])
        ours = np.array(np_out["probe"][f"before_{wd:g}"])
        assert np.abs(keras_points - ours).max() < POINT_TOL, (wd, keras_points, ours)
        textbook = np.array(np_out["probe"][f"textbook_{wd:g}"])
        assert np.abs(keras_points - textbook).max() < 10 * POINT_TOL, wd
    # with decay, the probe's coordinate whose gradient is always 0 only decays: x (1 - lr wd)^t
    keras_points = np.array(tf_out["probe"][f"keras_{job.PROBE_WDS[-1]:g}"])
    t = np.arange(1, job.T + 1)
    np.testing.assert_allclose(keras_points[:, 3], job.P0[3] * (1 - job.PROBE_LR * job.PROBE_WDS[-1]) ** t, rtol=1e-6)
    # on the network, with decay
    k, s = tf_out["builtin"]["keras"], np_out["builtin"]["before"]
    assert rel(k["final_loss"], s["final_loss"]) <= REL_TOL, (k["final_loss"], s["final_loss"])


def test_framework_facts(backend_job):
    facts = {b: net(backend_job, b)["facts"] for b in BACKENDS}
    assert facts["numpy"]["defaults"] == [1e-4, 0.9, 0.99, 0.0]
    tf_facts = facts["tensorflow"]
    assert tf_facts["same_class"] and tf_facts["defaults"] == [1e-3, 0.9, 0.99, None]
    assert tf_facts["beta1_zero_error"] is not None and "SignSGD" in tf_facts["beta1_zero_error"]
    for b in ("torch", "mxnet", "paddle"):
        assert facts[b]["has_lion"] is False, b
    for b in BACKENDS:
        assert facts[b]["sign0"] == 0.0, b
