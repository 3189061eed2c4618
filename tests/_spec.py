"""What the agreement tests run: the hyperparameters of every rule, and for every backend its
built-in optimizers, each with the from-scratch variant it must match and the variants it must
not match. Plain Python, no framework: imported by the tests and by ``_worker.py``.

The formulas of the built-ins were read from the installed sources (torch/optim/*.py,
keras/src/optimizers/*.py, mxnet/optimizer/optimizer.py, paddle/optimizer/*.py) and are
confirmed by these tests: a built-in matches its ``same_as`` variant within TOL and differs
from each ``differs_from`` variant by more than TOL.
"""
import json

from rules import RULE_NAMES

#: Final losses that agree within TOL agree; the same bound, as atol, for the final parameters.
TOL = 1e-4

#: The textbook hyperparameters of each rule (keys as in d2l_lite.optim). eps is larger than
#: usual on purpose, so that *where* eps goes (inside or outside the square root, on s or on
#: s_hat) moves the final loss by several times TOL and the tests can tell the variants apart.
HYPERPARAMS = {
    "sgd": {"lr": 0.01},
    "momentum": {"lr": 0.005, "momentum": 0.9},
    "adagrad": {"lr": 0.03, "eps": 0.1},
    "rmsprop": {"lr": 0.003, "gamma": 0.9, "eps": 0.1},
    "adadelta": {"rho": 0.9, "eps": 1e-5},
    "adam": {"lr": 0.003, "beta1": 0.9, "beta2": 0.999, "eps": 0.01},
    "yogi": {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-3},
}
assert tuple(HYPERPARAMS) == RULE_NAMES

#: The d2l_lite.optim class (the NumPy backend's "built-in") that implements each rule.
NUMPY_REFERENCE = {"sgd": "SGD", "momentum": "SGD", "adagrad": "Adagrad", "rmsprop": "RMSProp",
                   "adadelta": "Adadelta", "adam": "Adam", "yogi": "Yogi"}

H = HYPERPARAMS
EPS_OUTSIDE = {"eps_inside_sqrt": False}
TEXTBOOK = {}


def case(id, rule, trainer, kwargs, same_as=TEXTBOOK, differs_from=(), also_matches=(), why=""):
    """One built-in optimizer run; ``same_as`` etc. are variants of the rule's HYPERPARAMS."""
    return {"id": id, "rule": rule, "trainer": trainer, "kwargs": kwargs, "same_as": dict(same_as),
            "differs_from": [dict(v) for v in differs_from],
            "also_matches": [dict(v) for v in also_matches], "why": why}


FRAMEWORK_BUILTINS = {
    "torch": [
        case("sgd", "sgd", "torch.optim.SGD", {"lr": H["sgd"]["lr"]}),
        case("momentum", "momentum", "torch.optim.SGD", {"lr": 0.005, "momentum": 0.9},
             why="torch keeps v <- beta v + g (the first step sets v = g) and steps x <- x - lr v"),
        case("adagrad", "adagrad", "torch.optim.Adagrad", {"lr": 0.03, "eps": 0.1},
             same_as=EPS_OUTSIDE, differs_from=[TEXTBOOK],
             why="torch/optim/adagrad.py: std = state_sum.sqrt().add_(eps): eps outside the sqrt"),
        case("adagrad_initial_accumulator", "adagrad", "torch.optim.Adagrad",
             {"lr": 0.03, "eps": 0.1, "initial_accumulator_value": 0.1},
             same_as={**EPS_OUTSIDE, "initial_accumulator": 0.1}, differs_from=[EPS_OUTSIDE],
             why="initial_accumulator_value is where s starts"),
        case("rmsprop", "rmsprop", "torch.optim.RMSprop", {"lr": 0.003, "alpha": 0.9, "eps": 0.1},
             same_as=EPS_OUTSIDE, differs_from=[TEXTBOOK],
             why="torch/optim/rmsprop.py: avg = square_avg.sqrt().add_(eps): eps outside the sqrt"),
        case("adadelta", "adadelta", "torch.optim.Adadelta", {"lr": 1.0, "rho": 0.9, "eps": 1e-5},
             why="Zeiler's rule; torch multiplies the step by lr (default 1.0)"),
        case("adam", "adam", "torch.optim.Adam", {"lr": 0.003, "betas": (0.9, 0.999), "eps": 0.01},
             differs_from=[{"eps_hat": True}],
             why="torch: denom = sqrt(s) / sqrt(1 - beta2^t) + eps, i.e. eps on sqrt(s_hat)"),
    ],
    "tensorflow": [
        case("sgd", "sgd", "tensorflow.keras.optimizers.SGD", {"learning_rate": 0.01}),
        case("momentum", "momentum", "tensorflow.keras.optimizers.SGD",
             {"learning_rate": 0.005, "momentum": 0.9},
             same_as={"lr_in_velocity": True}, also_matches=[TEXTBOOK],
             why="keras: m <- momentum m - lr g; x <- x + m. With a constant lr this equals the "
                 "textbook v <- beta v + g; x <- x - lr v (m = -lr v), so both match"),
        case("adagrad", "adagrad", "tensorflow.keras.optimizers.Adagrad",
             {"learning_rate": 0.03, "epsilon": 0.1, "initial_accumulator_value": 0.0},
             differs_from=[EPS_OUTSIDE],
             why="keras: x -= lr g / sqrt(s + eps): eps inside the sqrt, the textbook rule once "
                 "initial_accumulator_value=0"),
        case("adagrad_default_accumulator", "adagrad", "tensorflow.keras.optimizers.Adagrad",
             {"learning_rate": 0.03, "epsilon": 0.1},
             same_as={"initial_accumulator": 0.1}, differs_from=[TEXTBOOK],
             why="keras starts the accumulator at initial_accumulator_value=0.1 unless told"),
        case("rmsprop", "rmsprop", "tensorflow.keras.optimizers.RMSprop",
             {"learning_rate": 0.003, "rho": 0.9, "epsilon": 0.1},
             differs_from=[EPS_OUTSIDE], why="keras: lr g / sqrt(s + eps): eps inside the sqrt"),
        case("adadelta", "adadelta", "tensorflow.keras.optimizers.Adadelta",
             {"learning_rate": 1.0, "rho": 0.9, "epsilon": 1e-5},
             why="keras multiplies Zeiler's step by learning_rate; 1.0 gives Zeiler's rule"),
        case("adadelta_default_lr", "adadelta", "tensorflow.keras.optimizers.Adadelta",
             {"rho": 0.9, "epsilon": 1e-5}, same_as={"lr": 0.001}, differs_from=[TEXTBOOK],
             why="keras's default learning_rate=0.001 scales Zeiler's step down 1000 times"),
        case("adam", "adam", "tensorflow.keras.optimizers.Adam",
             {"learning_rate": 0.003, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 0.01},
             same_as={"eps_hat": True}, differs_from=[TEXTBOOK],
             why="keras: alpha = lr sqrt(1 - beta2^t) / (1 - beta1^t); x -= alpha m / (sqrt(v) + eps): "
                 "eps on sqrt(s), not on sqrt(s_hat) (the paper's 'eps hat')"),
    ],
    "mxnet": [
        case("sgd", "sgd", "sgd", {"learning_rate": 0.01}),
        case("momentum", "momentum", "sgd", {"learning_rate": 0.005, "momentum": 0.9},
             same_as={"lr_in_velocity": True}, also_matches=[TEXTBOOK],
             why="mxnet sgd_mom_update: v <- momentum v - lr g; w <- w + v; equal to the textbook "
                 "form while lr is constant"),
        case("adagrad", "adagrad", "adagrad", {"learning_rate": 0.03, "eps": 0.1},
             differs_from=[EPS_OUTSIDE],
             why="mxnet AdaGrad: div = grad / sqrt(history + eps): eps inside the sqrt"),
        case("rmsprop", "rmsprop", "rmsprop", {"learning_rate": 0.003, "gamma1": 0.9, "epsilon": 0.1},
             differs_from=[EPS_OUTSIDE], why="mxnet rmsprop_update: lr g / sqrt(n + eps)"),
        case("adadelta", "adadelta", "adadelta", {"rho": 0.9, "epsilon": 1e-5},
             why="mxnet AdaDelta: Zeiler's rule, no learning rate"),
        case("adadelta_ignores_lr", "adadelta", "adadelta",
             {"learning_rate": 0.1, "rho": 0.9, "epsilon": 1e-5},
             differs_from=[{"lr": 0.1}],
             why="mxnet AdaDelta.update never reads the learning rate: lr=0.1 still gives lr=1"),
        case("adam", "adam", "adam", {"learning_rate": 0.003, "beta1": 0.9, "beta2": 0.999,
                                      "epsilon": 0.01},
             same_as={"eps_hat": True}, differs_from=[TEXTBOOK],
             why="mxnet Adam: lr *= sqrt(1 - beta2^t) / (1 - beta1^t); w -= lr m / (sqrt(v) + eps)"),
    ],
    "paddle": [
        case("sgd", "sgd", "paddle.optimizer.SGD", {"learning_rate": 0.01}),
        case("momentum", "momentum", "paddle.optimizer.Momentum", {"learning_rate": 0.005, "momentum": 0.9},
             why="paddle: velocity = mu velocity + g; param -= lr velocity"),
        case("adagrad", "adagrad", "paddle.optimizer.Adagrad", {"learning_rate": 0.03, "epsilon": 0.1},
             same_as=EPS_OUTSIDE, differs_from=[TEXTBOOK],
             why="paddle Adagrad: lr g / (sqrt(moment) + eps): eps outside the sqrt"),
        case("rmsprop", "rmsprop", "paddle.optimizer.RMSProp",
             {"learning_rate": 0.003, "rho": 0.9, "epsilon": 0.1},
             differs_from=[EPS_OUTSIDE], why="paddle RMSProp: lr g / sqrt(r + eps): eps inside the sqrt"),
        case("adadelta", "adadelta", "paddle.optimizer.Adadelta",
             {"learning_rate": 1.0, "rho": 0.9, "epsilon": 1e-5},
             why="paddle multiplies Zeiler's step by learning_rate; 1.0 gives Zeiler's rule"),
        case("adadelta_default_lr", "adadelta", "paddle.optimizer.Adadelta",
             {"rho": 0.9, "epsilon": 1e-5}, same_as={"lr": 0.001}, differs_from=[TEXTBOOK],
             why="paddle's default learning_rate=0.001 scales Zeiler's step down 1000 times"),
        case("adam", "adam", "paddle.optimizer.Adam",
             {"learning_rate": 0.003, "beta1": 0.9, "beta2": 0.999, "epsilon": 0.01},
             differs_from=[{"eps_hat": True}],
             why="paddle's adam kernel adds eps * sqrt(1 - beta2^t) to sqrt(v), which is eps on "
                 "sqrt(s_hat): the textbook rule"),
    ],
}


def key(rule, variant):
    """The name of a from-scratch run: the rule and its variant of HYPERPARAMS."""
    return f"{rule}:{json.dumps(variant, sort_keys=True)}"


def hyperparams(rule, variant):
    return {**HYPERPARAMS[rule], **variant}


def _variants_used():
    """Every (rule, variant) that a framework's built-in is compared with, textbook ones included."""
    used = {key(r, {}): (r, {}) for r in RULE_NAMES}
    for cases in FRAMEWORK_BUILTINS.values():
        for c in cases:
            for v in [c["same_as"], *c["differs_from"], *c["also_matches"]]:
                used.setdefault(key(c["rule"], v), (c["rule"], v))
    return used


def _numpy_builtins():
    """d2l_lite.optim, configured to every variant the frameworks need: the NumPy 'built-ins'."""
    return [case(k, rule, f"d2l_lite.optim.{NUMPY_REFERENCE[rule]}", hyperparams(rule, v), same_as=v,
                 why="d2l_lite.optim with the same options as the from-scratch rule")
            for k, (rule, v) in _variants_used().items()]


BUILTINS = {"numpy": _numpy_builtins(), **FRAMEWORK_BUILTINS}


def scratch_runs(backend):
    """The from-scratch runs a backend does: every rule's textbook form and every variant its
    built-ins are compared with (the NumPy backend: every variant any framework needs)."""
    runs = {key(r, {}): (r, {}) for r in RULE_NAMES}
    for c in BUILTINS[backend]:
        for v in [c["same_as"], *c["differs_from"], *c["also_matches"]]:
            runs.setdefault(key(c["rule"], v), (c["rule"], v))
    return list(runs.values())
