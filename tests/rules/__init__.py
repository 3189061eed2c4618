"""From-scratch update rules, one module per backend, all with the same functions.

Every module defines, for each rule NAME in RULE_NAMES, ``init_NAME_states(shapes,
hyperparams)`` (``shapes``: the parameters' shapes, or linear regression's feature_dim) and ``NAME(params, grads, states, hyperparams)``, which updates ``params``
and ``states`` in place, and the table ``RULES = {NAME: (init, update)}``.

``hyperparams`` holds the textbook hyperparameters (lr, momentum, eps, gamma, rho, beta1,
beta2) and optionally the variants that frameworks implement (the same options as
``d2l_lite.optim``): ``lr_in_velocity``, ``eps_inside_sqrt``, ``initial_accumulator``,
``eps_hat``. Each module imports only its own framework, so it can be imported only in a
process that runs that backend.
"""
RULE_NAMES = ("sgd", "momentum", "adagrad", "rmsprop", "adadelta", "adam", "yogi")


def shapes_of(shapes):
    """The parameters' shapes: ``shapes`` itself, or for an int, linear regression's [w, b] shapes."""
    return [(shapes, 1), (1,)] if isinstance(shapes, int) else [tuple(s) for s in shapes]
