"""The five backends agree, and each framework's built-in optimizer is the formula we say it is.

* From scratch: the same rule, seed and hyperparameters give the same final loss (and the same
  final parameters) in all five backends, within TOL, and the loss went down.
* Built-in vs from scratch, in each framework: the built-in matches the from-scratch rule in the
  variant that describes it (``_spec.FRAMEWORK_BUILTINS[...]["same_as"]``) within TOL, and
  differs by more than TOL from the variants it does not implement (``differs_from``): those
  hyperparameters make the variants distinguishable, so this pins down each formula.
* Each framework's built-in also matches ``d2l_lite.optim`` (the NumPy reference) configured
  with the same options, across processes.
"""
import numpy as np
import pytest

from conftest import BACKENDS, FRAMEWORKS
from _spec import BUILTINS, FRAMEWORK_BUILTINS, HYPERPARAMS, NUMPY_REFERENCE, TOL, key
from rules import RULE_NAMES


def scratch_run(backend_job, backend, rule, variant=None):
    return backend_job(backend, "train")["scratch"][key(rule, variant or {})]


def max_param_diff(a, b):
    return max(float(np.max(np.abs(np.asarray(x, dtype=np.float64) - np.asarray(y, dtype=np.float64))))
               for x, y in zip(a["params"], b["params"]))


def test_hyperparameters_are_the_numpy_reference_options():
    """The test hyperparameters are the keyword arguments of d2l_lite.optim (so they mean the same)."""
    import inspect

    from d2l_lite import optim
    for rule, hp in HYPERPARAMS.items():
        allowed = inspect.signature(getattr(optim, NUMPY_REFERENCE[rule])).parameters
        assert set(hp) <= set(allowed), (rule, set(hp) - set(allowed))


@pytest.mark.parametrize("rule", RULE_NAMES)
def test_scratch_final_losses_agree_across_backends(backend_job, rule):
    runs = {b: scratch_run(backend_job, b, rule) for b in BACKENDS}
    finals = {b: r["final_loss"] for b, r in runs.items()}
    initials = {b: r["losses"][0] for b, r in runs.items()}
    assert max(finals.values()) - min(finals.values()) <= TOL, finals
    assert max(initials.values()) - min(initials.values()) <= TOL, initials
    for b, r in runs.items():
        assert not r["diverged"], b
        assert len(r["losses"]) == 16, (b, len(r["losses"]))
        # not a trivial agreement: every backend trained (the loss fell by far more than TOL)
        assert r["final_loss"] < r["losses"][0] - 1000 * TOL, (b, r["losses"][0], r["final_loss"])


@pytest.mark.parametrize("rule", RULE_NAMES)
def test_scratch_curves_and_params_agree_across_backends(backend_job, rule):
    runs = {b: scratch_run(backend_job, b, rule) for b in BACKENDS}
    ref = runs["numpy"]
    for b, r in runs.items():
        curve_diff = float(np.max(np.abs(np.subtract(r["losses"], ref["losses"]))))
        assert curve_diff <= TOL, (b, curve_diff)
        assert max_param_diff(r, ref) <= TOL, (b, max_param_diff(r, ref))
        assert r["param_shapes"] == [[5, 1], [1]], b


BUILTIN_CASES = [(b, c) for b in BACKENDS for c in BUILTINS[b]]


@pytest.mark.parametrize("backend,case", BUILTIN_CASES,
                         ids=[f"{b}-{c['id']}" for b, c in BUILTIN_CASES])
def test_builtin_matches_scratch_variant(backend_job, backend, case):
    runs = backend_job(backend, "train")
    builtin = runs["builtin"][case["id"]]
    assert not builtin["diverged"]
    assert builtin["final_loss"] < builtin["losses"][0], "the built-in optimizer did not train"
    why = f"{backend} {case['trainer']}({case['kwargs']}): {case['why']}"
    for variant in [case["same_as"], *case["also_matches"]]:
        ref = runs["scratch"][key(case["rule"], variant)]
        diff = abs(builtin["final_loss"] - ref["final_loss"])
        assert diff <= TOL, f"final losses differ by {diff:.3g} from scratch {variant}; {why}"
        assert max_param_diff(builtin, ref) <= TOL, \
            f"final params differ by {max_param_diff(builtin, ref):.3g} from scratch {variant}; {why}"
    for variant in case["differs_from"]:
        # the expected difference: the built-in does NOT implement this variant, and these
        # hyperparameters are chosen so that the variants' final losses are > TOL apart
        ref = runs["scratch"][key(case["rule"], variant)]
        diff = abs(builtin["final_loss"] - ref["final_loss"])
        assert diff > TOL, f"expected the built-in to differ from scratch {variant} (got {diff:.3g}); {why}"


@pytest.mark.parametrize("backend,case", [(b, c) for b in FRAMEWORKS for c in FRAMEWORK_BUILTINS[b]],
                         ids=[f"{b}-{c['id']}" for b in FRAMEWORKS for c in FRAMEWORK_BUILTINS[b]])
def test_builtin_matches_numpy_reference(backend_job, backend, case):
    """The framework's optimizer vs d2l_lite.optim with the options that describe it."""
    builtin = backend_job(backend, "train")["builtin"][case["id"]]
    reference = backend_job("numpy", "train")["builtin"][key(case["rule"], case["same_as"])]
    diff = abs(builtin["final_loss"] - reference["final_loss"])
    assert diff <= TOL, (diff, case["why"])
    assert max_param_diff(builtin, reference) <= TOL, case["why"]


@pytest.mark.parametrize("backend", FRAMEWORKS)
def test_scratch_yogi_matches_numpy_reference(backend_job, backend):
    """No framework here ships Yogi, so its from-scratch Yogi is checked against d2l_lite.optim.Yogi."""
    assert backend_job(backend, "train")["has_yogi"] is False, \
        f"{backend} now has a Yogi optimizer: add it to _spec.FRAMEWORK_BUILTINS"
    mine = scratch_run(backend_job, backend, "yogi")
    reference = backend_job("numpy", "train")["builtin"][key("yogi", {})]
    assert abs(mine["final_loss"] - reference["final_loss"]) <= TOL
    assert max_param_diff(mine, reference) <= TOL


@pytest.mark.parametrize("backend", BACKENDS)
def test_training_writes_nothing_to_stderr(backend_job, backend):
    """A book cell that writes to stderr fails the build: importing a backend and training quietly."""
    report = backend_job.report(backend, "train")
    report.result  # noqa: B018  (fails with the traceback if the worker crashed)
    assert report.stderr == "", report.stderr[-2000:]
