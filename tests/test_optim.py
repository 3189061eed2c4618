"""d2l_lite.optim, the NumPy reference optimizers: argument checks and first steps by hand."""
import math

import numpy as np
import pytest

from d2l_lite import optim

# --- bad hyperparameters --------------------------------------------------------------------

BAD = [
    (optim.SGD, "lr", -1, "(0, inf)"), (optim.SGD, "lr", 0, "(0, inf)"), (optim.SGD, "lr", float("nan"), "inf)"),
    (optim.SGD, "lr", float("inf"), "inf)"), (optim.SGD, "lr", "0.1", "inf)"), (optim.SGD, "lr", True, "inf)"),
    (optim.SGD, "momentum", 1.0, "[0, 1)"), (optim.SGD, "momentum", -0.1, "[0, 1)"),
    (optim.Adagrad, "lr", -0.1, "(0, inf)"), (optim.Adagrad, "eps", -1e-6, "[0, inf)"),
    (optim.Adagrad, "initial_accumulator", -1, "[0, inf)"),
    (optim.RMSProp, "gamma", 1.0, "[0, 1)"), (optim.RMSProp, "eps", float("nan"), "[0, inf)"),
    (optim.Adadelta, "rho", 1.5, "[0, 1)"), (optim.Adadelta, "eps", 0, "(0, inf)"),
    (optim.Adadelta, "lr", -1, "(0, inf)"),
    (optim.Adam, "beta1", 1.0, "[0, 1)"), (optim.Adam, "beta2", -0.5, "[0, 1)"),
    (optim.Adam, "lr", float("nan"), "(0, inf)"), (optim.Adam, "eps", -1, "[0, inf)"),
    (optim.Yogi, "beta2", 1.5, "[0, 1)"), (optim.Yogi, "lr", 0.0, "(0, inf)"),
]


@pytest.mark.parametrize("cls,name,value,allowed", BAD,
                         ids=[f"{c.__name__}-{n}={v!r}" for c, n, v, _ in BAD])
def test_bad_hyperparameter(cls, name, value, allowed):
    with pytest.raises(ValueError) as e:
        cls(**{name: value})
    msg = str(e.value)
    assert msg.startswith(f"{name} must be a finite number in ")
    assert msg.endswith(f"got {value!r}")
    assert allowed in msg


def test_defaults_are_accepted():
    for cls in (optim.SGD, optim.Adagrad, optim.RMSProp, optim.Adadelta, optim.Adam, optim.Yogi):
        cls()


# --- first steps, by hand -------------------------------------------------------------------
# float64 parameters, so that the optimizer's arithmetic and the closed form agree to rounding.

P0 = [np.array([[0.5], [-1.0], [2.0]]), np.array([0.25])]
G1 = [np.array([[0.2], [-3.0], [0.0]]), np.array([1.5])]
G2 = [np.array([[-0.4], [1.0], [0.5]]), np.array([-2.0])]


def steps(opt, *grads):
    params = [p.copy() for p in P0]
    state = opt.init(params)
    for g in grads:
        opt.update(params, [x.copy() for x in g], state)
    return params, state


def close(a, b):
    for x, y in zip(a, b):
        np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-15)


def test_sgd_first_step():
    params, _ = steps(optim.SGD(lr=0.1), G1)
    close(params, [p - 0.1 * g for p, g in zip(P0, G1)])


@pytest.mark.parametrize("lr_in_velocity", [False, True])
def test_momentum_two_steps(lr_in_velocity):
    lr, beta = 0.1, 0.9
    params, state = steps(optim.SGD(lr=lr, momentum=beta, lr_in_velocity=lr_in_velocity), G1, G2)
    # v1 = g1, v2 = beta g1 + g2; x2 = x0 - lr (v1 + v2)   (lr_in_velocity: v = -lr * that v)
    close(params, [p - lr * (g1 + beta * g1 + g2) for p, g1, g2 in zip(P0, G1, G2)])
    v = [beta * g1 + g2 for g1, g2 in zip(G1, G2)]
    close(state["v"], [-lr * x for x in v] if lr_in_velocity else v)


@pytest.mark.parametrize("eps_inside_sqrt", [True, False])
@pytest.mark.parametrize("initial_accumulator", [0.0, 0.1])
def test_adagrad_first_step(eps_inside_sqrt, initial_accumulator):
    lr, eps = 0.5, 0.01
    opt = optim.Adagrad(lr=lr, eps=eps, eps_inside_sqrt=eps_inside_sqrt, initial_accumulator=initial_accumulator)
    params, state = steps(opt, G1)
    s = [initial_accumulator + g ** 2 for g in G1]
    denom = [np.sqrt(x + eps) if eps_inside_sqrt else np.sqrt(x) + eps for x in s]
    close(state["s"], s)
    close(params, [p - lr * g / d for p, g, d in zip(P0, G1, denom)])


@pytest.mark.parametrize("eps_inside_sqrt", [True, False])
def test_rmsprop_first_step(eps_inside_sqrt):
    lr, gamma, eps = 0.01, 0.9, 1e-2
    params, state = steps(optim.RMSProp(lr=lr, gamma=gamma, eps=eps, eps_inside_sqrt=eps_inside_sqrt), G1)
    s = [0.1 * g ** 2 for g in G1]
    denom = [np.sqrt(x + eps) if eps_inside_sqrt else np.sqrt(x) + eps for x in s]
    close(state["s"], s)
    close(params, [p - lr * g / d for p, g, d in zip(P0, G1, denom)])


@pytest.mark.parametrize("lr", [1.0, 0.5])
def test_adadelta_first_step(lr):
    rho, eps = 0.9, 1e-4
    params, state = steps(optim.Adadelta(rho=rho, eps=eps, lr=lr), G1)
    # s1 = (1 - rho) g^2; dx0 = 0, so g' = sqrt(eps) / sqrt(s1 + eps) * g
    s = [(1 - rho) * g ** 2 for g in G1]
    g_ = [math.sqrt(eps) / np.sqrt(x + eps) * g for x, g in zip(s, G1)]
    close(state["s"], s)
    close(state["dx"], [(1 - rho) * x ** 2 for x in g_])
    close(params, [p - lr * x for p, x in zip(P0, g_)])


@pytest.mark.parametrize("eps_hat", [False, True])
def test_adam_first_step(eps_hat):
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-3
    params, state = steps(optim.Adam(lr=lr, beta1=b1, beta2=b2, eps=eps, eps_hat=eps_hat), G1)
    # after one step v_hat = g and s_hat = g^2, so the step is lr g / (|g| + eps);
    # with eps on sqrt(s) instead ("eps hat") it is lr g / (|g| + eps / sqrt(1 - beta2))
    eff_eps = eps / math.sqrt(1 - b2) if eps_hat else eps
    close(params, [p - lr * g / (np.abs(g) + eff_eps) for p, g in zip(P0, G1)])
    assert state["t"] == 1
    close(state["v"], [(1 - b1) * g for g in G1])
    close(state["s"], [(1 - b2) * g ** 2 for g in G1])


def test_adam_second_step():
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-3
    params, _ = steps(optim.Adam(lr=lr, beta1=b1, beta2=b2, eps=eps), G1, G2)
    x1 = [p - lr * g / (np.abs(g) + eps) for p, g in zip(P0, G1)]
    v = [b1 * (1 - b1) * g1 + (1 - b1) * g2 for g1, g2 in zip(G1, G2)]
    s = [b2 * (1 - b2) * g1 ** 2 + (1 - b2) * g2 ** 2 for g1, g2 in zip(G1, G2)]
    c1, c2 = 1 - b1 ** 2, 1 - b2 ** 2
    close(params, [x - lr * (vv / c1) / (np.sqrt(ss / c2) + eps) for x, vv, ss in zip(x1, v, s)])


def test_yogi_two_steps():
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-3
    params, state = steps(optim.Yogi(lr=lr, beta1=b1, beta2=b2, eps=eps), G1, G2)
    # s1 = 0 + (1 - b2) g1^2 sign(g1^2 - 0) = (1 - b2) g1^2  (0 where g1 = 0): Adam's first step
    s1 = [(1 - b2) * g ** 2 for g in G1]
    x1 = [p - lr * g / (np.abs(g) + eps) for p, g in zip(P0, G1)]
    # s2 = s1 + (1 - b2) g2^2 sign(g2^2 - s1): here g2^2 > s1 everywhere, so s grows additively
    s2 = [s + (1 - b2) * g ** 2 * np.sign(g ** 2 - s) for s, g in zip(s1, G2)]
    assert all(np.all(np.sign(g ** 2 - s) == 1) for s, g in zip(s1, G2))
    v2 = [b1 * (1 - b1) * g1 + (1 - b1) * g2 for g1, g2 in zip(G1, G2)]
    c1, c2 = 1 - b1 ** 2, 1 - b2 ** 2
    close(state["s"], s2)
    close(params, [x - lr * (v / c1) / (np.sqrt(s / c2) + eps) for x, v, s in zip(x1, v2, s2)])


def test_yogi_second_moment_can_shrink():
    """Unlike Adam's, Yogi's s moves by (1 - beta2) g^2 towards g^2: down when g^2 < s."""
    opt = optim.Yogi(beta2=0.9)
    s = np.array([4.0, 1.0])
    g = np.array([1.0, 2.0])
    opt._second_moment(s, g)
    np.testing.assert_allclose(s, [4.0 - 0.1 * 1.0, 1.0 + 0.1 * 4.0])


def test_updates_are_in_place():
    opt = optim.Adam()
    params = [p.copy() for p in P0]
    ids = [id(p) for p in params]
    state = opt.init(params)
    v_ids = [id(v) for v in state["v"]]
    opt.update(params, G1, state)
    assert [id(p) for p in params] == ids and [id(v) for v in state["v"]] == v_ids
    assert not np.array_equal(params[0], P0[0])
