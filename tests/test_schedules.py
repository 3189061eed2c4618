"""The reference schedules (values by hand, boundaries, bad arguments) and each framework's scheduler
configured to them over a whole run, with the traps."""
import math

import pytest

from conftest import BACKENDS
from d2l_lite.optim import schedules as S


def test_values_by_hand():
    assert S.constant(0.1)(7) == 0.1
    f = S.step(1.0, 3, 0.5)
    assert [f(t) for t in (1, 3, 4, 7)] == [1.0, 1.0, 0.5, 0.25]
    g = S.piecewise_constant(1.0, [2, 4], [0.1, 0.5])
    assert [g(t) for t in (2, 3, 4, 5)] == [1.0, 0.1, 0.1, pytest.approx(0.05)]
    assert S.exponential(1.0, 0.5, 2)(3) == pytest.approx(0.5)
    p = S.polynomial(1.0, 4, 0.2, 2.0)
    assert p(1) == 1.0 and p(3) == pytest.approx(0.8 * 0.25 + 0.2) and p(5) == p(50) == pytest.approx(0.2)
    n = S.inverse_sqrt(1.0, 4)
    assert n(1) == 0.25 and n(4) == 1.0 and n(16) == pytest.approx(0.5)
    c = S.cosine(1.0, 4, 0.1)
    assert c(1) == 1.0 and c(3) == pytest.approx(0.55) and c(5) == pytest.approx(0.1) and c(100) == pytest.approx(0.1)
    lin = S.linear(0.0, 1.0, 4)
    assert [lin(t) for t in (1, 3, 5, 9)] == [0.0, 0.5, 1.0, 1.0]
    w = S.warmup_cosine(1.0, 4, 10)
    assert w(4) == 0.75 and w(5) == 1.0 and w(11) == pytest.approx(0.0, abs=1e-15)
    j = S.join([S.constant(1.0), S.constant(2.0)], [3])
    assert [j(t) for t in (3, 4)] == [1.0, 2.0]
    o = S.one_cycle(1.0, 100)
    assert o(1) == pytest.approx(1 / 25) and o(30) == pytest.approx(1.0) and o(100) == pytest.approx(1 / 25 / 1e4)


@pytest.mark.parametrize("make", [lambda: S.constant(-1), lambda: S.step(0.1, 0, 0.5), lambda: S.step(0.1, 2.5, 0.5),
                                  lambda: S.exponential(0.1, float("nan")), lambda: S.cosine(0.1, 10, -0.1),
                                  lambda: S.piecewise_constant(0.1, [3, 2], [1, 1]),
                                  lambda: S.piecewise_constant(0.1, [3], [1, 1]),
                                  lambda: S.warmup_cosine(0.1, 10, 10), lambda: S.join([S.constant(1)], [3]),
                                  lambda: S.one_cycle(0.1, 100, pct_start=1.5), lambda: S.polynomial(0.1, 10, power=0)])
def test_bad_arguments(make):
    with pytest.raises(ValueError, match="must|needs"):
        make()


def test_bad_step_and_no_negative_rates():
    with pytest.raises(ValueError, match="steps count from 1"):
        S.cosine(0.1, 10)(0)
    for f in (S.polynomial(0.1, 5), S.cosine(0.1, 5), S.one_cycle(0.1, 10), S.warmup_cosine(0.1, 2, 5)):
        for t in range(1, 30):
            assert f(t) >= 0 and not math.isnan(f(t))


@pytest.mark.parametrize("backend", BACKENDS)
def test_framework_schedulers_match_the_references(backend_job, backend):
    out = backend_job(backend, "schedules")
    tol = 1e-7 if backend == "tensorflow" else 1e-12          # Keras computes in float32
    for name, d in out["diff"].items():
        if backend == "mxnet" and name in ("polynomial", "cosine", "warmup_cosine"):
            assert d > 1e-3, name                                  # evaluated at num_update = t: one step early
            assert out["shifted"][name] < 1e-12, name              # ... it is the reference at t + 1
        else:
            assert d <= tol, (name, d)
    expected = {"numpy": 6, "torch": 6, "paddle": 6, "tensorflow": 5, "mxnet": 5}[backend]
    assert len(out["diff"]) == expected
    if backend in ("torch", "paddle"):                             # periodic annealers go back up after T_max
        assert out["at_end"] == pytest.approx(0.001) and out["after_end"] == pytest.approx(0.1)
    else:                                                          # the others stay at the final rate
        assert out["at_end"] == pytest.approx(0.001, rel=1e-5) and out["after_end"] == pytest.approx(0.001, rel=1e-5)
    if backend == "torch":
        assert out["wrong_order_warned"] and out["wrong_order_first"] == 0.05   # the first rate 0.1 is skipped
