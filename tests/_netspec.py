"""What the network tests run: SGD, momentum and Adam on the digits MLP, from scratch in every backend
and with every framework's built-in, 10 epochs, batch 32, seed 0. Plain Python, no framework.

Each built-in names the from-scratch variant it must match (``same_as``, options of d2l_lite.optim);
the variants come from ``_spec`` (the linear-regression tests), where each formula is pinned down.
"""
from _spec import case

REL_TOL = 1e-4           # final training losses agree within this, relative
EPOCHS, BATCH, SEED = 10, 32, 0

HYPERPARAMS = {
    "sgd": {"lr": 0.1},
    "momentum": {"lr": 0.01, "momentum": 0.9},
    "adam": {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-6},
}
LR_IN_VELOCITY = {"lr_in_velocity": True}
EPS_HAT = {"eps_hat": True}
H = HYPERPARAMS

BUILTINS = {
    "numpy": [
        case("sgd", "sgd", "d2l_lite.optim.SGD", {"lr": 0.1}),
        case("momentum", "momentum", "d2l_lite.optim.SGD", {"lr": 0.01, "momentum": 0.9}),
        case("adam", "adam", "d2l_lite.optim.Adam", {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-6}),
    ],
    "torch": [
        case("sgd", "sgd", "torch.optim.SGD", {"lr": 0.1}),
        case("momentum", "momentum", "torch.optim.SGD", {"lr": 0.01, "momentum": 0.9}),
        case("adam", "adam", "torch.optim.Adam", {"lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-6}),
    ],
    "tensorflow": [
        case("sgd", "sgd", "tensorflow.keras.optimizers.SGD", {"learning_rate": 0.1}),
        case("momentum", "momentum", "tensorflow.keras.optimizers.SGD",
             {"learning_rate": 0.01, "momentum": 0.9}, same_as=LR_IN_VELOCITY),
        case("adam", "adam", "tensorflow.keras.optimizers.Adam",
             {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-6}, same_as=EPS_HAT),
    ],
    "mxnet": [
        case("sgd", "sgd", "sgd", {"learning_rate": 0.1}),
        case("momentum", "momentum", "sgd", {"learning_rate": 0.01, "momentum": 0.9}, same_as=LR_IN_VELOCITY),
        case("adam", "adam", "adam", {"learning_rate": 0.001, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-6},
             same_as=EPS_HAT),
    ],
    "paddle": [
        case("sgd", "sgd", "paddle.optimizer.SGD", {"learning_rate": 0.1}),
        case("momentum", "momentum", "paddle.optimizer.Momentum", {"learning_rate": 0.01, "momentum": 0.9}),
        case("adam", "adam", "paddle.optimizer.Adam",
             {"learning_rate": 0.001, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-6}),
    ],
}

#: Every from-scratch run, in every backend: (rule, variant).
SCRATCH = [("sgd", {}), ("momentum", {}), ("momentum", LR_IN_VELOCITY), ("adam", {}), ("adam", EPS_HAT)]
