"""Run one backend's share of the tests in a fresh process and print the results as JSON.

    python tests/_worker.py BACKEND JOB

TensorFlow and PaddlePaddle cannot be imported into one process (it segfaults), so each
backend's work runs in a process of its own; the tests (``conftest.py``) start this script
and assert on what it prints: one line, MARK followed by the JSON of the job's result.
Everything the training functions print is captured and returned with each run.
"""
import contextlib
import importlib
import io
import json
import os
import sys
import traceback
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import _spec  # noqa: E402

MARK = "@@D2L_LITE_TEST_RESULT@@ "


def captured(fn, *args, **kwargs):
    """Call ``fn``; return (its result, what it printed)."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        result = fn(*args, **kwargs)
    return result, buf.getvalue()


def error_of(fn, *args, **kwargs):
    """Call ``fn``, which should fail; return {"type", "message"} of its exception (or None)."""
    try:
        captured(fn, *args, **kwargs)
    except Exception as e:  # noqa: BLE001  (the tests look at the type and the message)
        return {"type": type(e).__name__, "message": str(e)}
    return None


def summary(result, printed=None):
    return {"test_corrects": list(result.test_corrects), "test_accuracies": list(result.test_accuracies),
            "num_test": result.num_test, "model": result.model, "losses": list(map(float, result.losses)), "epochs": list(map(float, result.epochs)),
            "times": list(map(float, result.times)), "final_loss": float(result.final_loss),
            "sec_per_epoch": float(result.sec_per_epoch), "diverged": result.diverged,
            "diverged_at_epoch": result.diverged_at_epoch,
            "params": [p.tolist() for p in result.params],
            "param_shapes": [list(p.shape) for p in result.params], "printed": printed}


def resolve(backend, trainer):
    """A built-in optimizer from its dotted name (MXNet takes the name string itself)."""
    if backend == "mxnet":
        return trainer
    parts = trainer.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(trainer)


def scratch(d2l, rules, rule, hyperparams, data_iter, feature_dim, **kwargs):
    init, update = rules.RULES[rule]
    return captured(d2l.train_from_scratch, update, init(feature_dim, hyperparams), hyperparams,
                    data_iter, feature_dim, **kwargs)


# --- jobs -------------------------------------------------------------------------------------

def job_train(backend, d2l):
    """Every from-scratch rule (textbook and the variants needed) and every built-in optimizer."""
    rules = importlib.import_module(f"rules.{backend}_rules")
    data_iter, feature_dim = d2l.get_data(batch_size=10, n=1500, seed=0)
    out = {"scratch": {}, "builtin": {}}
    for rule, variant in _spec.scratch_runs(backend):
        hp = _spec.hyperparams(rule, variant)
        res, printed = scratch(d2l, rules, rule, hp, data_iter, feature_dim, num_epochs=2, seed=0,
                               plot=False)
        out["scratch"][_spec.key(rule, variant)] = summary(res, printed)
    for c in _spec.BUILTINS[backend]:
        res, printed = captured(d2l.train_concise, resolve(backend, c["trainer"]), c["kwargs"],
                                data_iter, num_epochs=2, seed=0, plot=False)
        out["builtin"][c["id"]] = summary(res, printed)
    out["has_yogi"] = has_yogi(backend)
    return out


def has_yogi(backend):
    """Whether the framework ships a Yogi optimizer (none of these versions does)."""
    if backend == "numpy":
        return False
    if backend == "mxnet":
        import mxnet
        return "yogi" in mxnet.optimizer.Optimizer.opt_registry
    module = {"torch": "torch.optim", "tensorflow": "tensorflow.keras.optimizers",
              "paddle": "paddle.optimizer"}[backend]
    return any(name.lower() == "yogi" for name in dir(resolve(backend, module)))


def job_data(backend, d2l):
    """Batches of get_data as NumPy, for seeds 0 (twice) and 1."""
    import numpy as np

    from d2l_lite._data import epoch_order

    def numpy_of(t):
        return d2l._Backend.to_numpy([t])[0]

    def describe(seed, batch_size=10, n=1500):
        data_iter, feature_dim = d2l.get_data(batch_size=batch_size, n=n, seed=seed)
        epochs = []
        for e in range(2):
            batches = [(numpy_of(X), numpy_of(y)) for X, y in data_iter]
            X = [b[0] for b in batches]
            y = [b[1] for b in batches]
            order = epoch_order(seed, e, n)
            whole_X, whole_y = np.concatenate(X), np.concatenate(y)
            epochs.append({
                "first_X": X[0].tolist(), "first_y": y[0].tolist(),
                "num_batches": len(batches), "batch_sizes": sorted({len(b) for b in X}),
                "last_batch_size": len(X[-1]),
                "X_shapes": sorted({tuple(b.shape) for b in X}), "y_shapes": sorted({tuple(b.shape) for b in y}),
                "dtypes": sorted({str(b.dtype) for b in X + y}),
                "follows_epoch_order": bool(np.array_equal(whole_X, data_iter.features[order])
                                            and np.array_equal(whole_y, data_iter.labels[order])),
            })
        first = next(iter(data_iter))
        return {"feature_dim": feature_dim, "len": len(data_iter), "num_examples": data_iter.num_examples,
                "tensor_type": type(first[0]).__module__ + "." + type(first[0]).__name__,
                "tensor_dtypes": [str(first[0].dtype), str(first[1].dtype)],
                "features": data_iter.features.tolist() if n <= 20 else None,
                "epochs": epochs}

    return {"seed0": describe(0), "seed0_again": describe(0), "seed1": describe(1),
            "n1503_b7": describe(0, batch_size=7, n=1503), "n20_b20": describe(3, batch_size=20, n=20),
            "module": d2l.__name__,
            "frameworks_imported": sorted(m for m in ("torch", "tensorflow", "mxnet", "paddle")
                                          if m in sys.modules)}


def _shape_breaker(backend):
    """A trainer_fn that changes the shape of w, in the way each framework allows."""
    if backend == "numpy":
        def trainer(params, grads, states, hyperparams):
            params[0].shape = (-1,)                       # in place: (5, 1) -> (5,)
    elif backend == "torch":
        def trainer(params, grads, states, hyperparams):
            params[0].data = params[0].data.reshape(-1)
    elif backend == "tensorflow":
        import tensorflow as tf

        def trainer(params, grads, states, hyperparams):
            params[0].assign(tf.zeros([5]))
    elif backend == "mxnet":
        def trainer(params, grads, states, hyperparams):
            params[0] = params[0].reshape((-1,))
    else:
        def trainer(params, grads, states, hyperparams):
            params[0].reshape_([-1])
    return trainer


def job_errors(backend, d2l):
    """Bad arguments, a trainer that changes a shape, and a diverging run."""
    rules = importlib.import_module(f"rules.{backend}_rules")
    data_iter, feature_dim = d2l.get_data()
    init, sgd = rules.RULES["sgd"]
    out = {
        "batch_size_0": error_of(d2l.get_data, batch_size=0),
        "batch_size_above_n": error_of(d2l.get_data, batch_size=101, n=100),
        "batch_size_float": error_of(d2l.get_data, batch_size=2.5),
        "n_0": error_of(d2l.get_data, n=0),
        "n_1504": error_of(d2l.get_data, n=1504),
        "seed_negative": error_of(d2l.get_data, seed=-1),
        "num_epochs_0_scratch": error_of(d2l.train_from_scratch, sgd, {}, {"lr": 0.01}, data_iter,
                                         feature_dim, num_epochs=0, plot=False),
        "num_epochs_0_concise": error_of(d2l.train_concise, resolve(backend, _spec.BUILTINS[backend][0]["trainer"]),
                                         _spec.BUILTINS[backend][0]["kwargs"], data_iter, num_epochs=0,
                                         plot=False),
        "feature_dim_wrong": error_of(d2l.train_from_scratch, sgd, {}, {"lr": 0.01}, data_iter, 4,
                                      plot=False),
        "data_iter_not_from_get_data": error_of(d2l.train_from_scratch, sgd, {}, {"lr": 0.01},
                                                [(1, 2)], feature_dim, plot=False),
        "shape_change": error_of(d2l.train_from_scratch, _shape_breaker(backend), {}, {}, data_iter,
                                 feature_dim, plot=False),
    }
    # lr=3 makes SGD diverge: the loss overflows to inf within the first epoch
    out["diverged_scratch"] = quiet_run(scratch, d2l, rules, "sgd", {"lr": 3.0}, data_iter, feature_dim,
                                        plot=False)
    c = _spec.BUILTINS[backend][0]
    kwargs = {name: 3.0 for name in c["kwargs"]}            # the sgd case has one kwarg: its lr
    out["diverged_concise"] = quiet_run(captured, d2l.train_concise, resolve(backend, c["trainer"]), kwargs,
                                        data_iter, plot=False)
    if backend == "mxnet":
        out["legacy_nd"] = _legacy_nd_errors(d2l, rules, data_iter, feature_dim)
    return out


def _legacy_nd_errors(d2l, rules, data_iter, feature_dim):
    """Rules written with MXNet's legacy mx.nd arrays, which the backend's mx.np arrays do not mix with."""
    import mxnet as mx
    seen = []

    def nd_op(params, grads, states, hyperparams):          # an mx.nd operator on an mx.np gradient
        seen.append(len(seen))
        for p, g in zip(params, grads):
            p[:] = p - hyperparams["lr"] * mx.nd.sign(g)

    def nd_state(params, grads, states, hyperparams):       # an mx.nd state, otherwise a correct rule
        seen.append(len(seen))
        for p, g, v in zip(params, grads, states):
            v[:] = 0.9 * v + g
            p[:] = p - hyperparams["lr"] * v

    def nd_assigned(params, grads, states, hyperparams):    # an mx.nd array stored into the states
        seen.append(len(seen))
        states[:] = [mx.nd.zeros(p.shape) for p in params]

    out = {}
    for name, fn, states in [("op", nd_op, None),
                             ("state", nd_state, [mx.nd.zeros((feature_dim, 1)), mx.nd.zeros(1)]),
                             ("assigned", nd_assigned, [])]:
        seen.clear()
        out[name] = error_of(d2l.train_from_scratch, fn, states, {"lr": 0.01}, data_iter, feature_dim, plot=False)
        out[name + "_calls"] = len(seen)
    return out


def quiet_run(run, *args, **kwargs):
    """A run's summary, with what it wrote to stderr and the warnings it raised (a notebook
    shows both on stderr, which fails the book build)."""
    err = io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stderr(err):
        res, printed = run(*args, **kwargs)
    return {**summary(res, printed), "stderr": err.getvalue(),
            "warnings": [f"{w.category.__name__}: {w.message} ({w.filename}:{w.lineno})" for w in caught]}


def job_result(backend, d2l):
    """The result object of a plotted run, the printed line, and the figure's line data."""
    rules = importlib.import_module(f"rules.{backend}_rules")
    data_iter, feature_dim = d2l.get_data(batch_size=10, n=1500)
    out = {}
    res, printed = scratch(d2l, rules, "sgd", {"lr": 0.01}, data_iter, feature_dim, num_epochs=2,
                           plot=True)
    fig = res.figure
    lines = fig.axes[0].get_lines() if fig is not None else []
    out["scratch"] = {**summary(res, printed), "figure_type": type(fig).__module__ + "." + type(fig).__name__,
                      "num_axes": len(fig.axes) if fig is not None else 0,
                      "lines": [[list(map(float, ln.get_xdata())), list(map(float, ln.get_ydata()))]
                                for ln in lines],
                      "repr": repr(res)}
    c = _spec.BUILTINS[backend][0]
    res, printed = captured(d2l.train_concise, resolve(backend, c["trainer"]), c["kwargs"], data_iter,
                            num_epochs=1, plot=False)
    out["concise"] = {**summary(res, printed), "figure": res.figure is not None}
    odd_iter, _ = d2l.get_data(batch_size=7, n=1503)
    res, printed = scratch(d2l, rules, "sgd", {"lr": 0.01}, odd_iter, feature_dim, num_epochs=2, plot=False)
    out["n1503_b7"] = summary(res, printed)
    return out


def job_network(backend, d2l):
    """SGD, momentum and Adam on the digits MLP: from scratch (every variant) and built-in."""
    import _netspec as ns
    rules = importlib.import_module(f"rules.{backend}_rules")
    data_iter, feature_dim = d2l.get_data("digits", batch_size=ns.BATCH, seed=ns.SEED)
    shapes = d2l.param_shapes(data_iter)
    out = {"scratch": {}, "builtin": {}, "shapes": [list(s) for s in shapes]}
    for rule, variant in ns.SCRATCH:
        hp = {**ns.HYPERPARAMS[rule], **variant}
        init, update = rules.RULES[rule]
        res, printed = captured(d2l.train_from_scratch, update, init(shapes, hp), hp, data_iter, feature_dim,
                                num_epochs=ns.EPOCHS, seed=ns.SEED, plot=False)
        out["scratch"][_spec.key(rule, variant)] = summary(res, printed)
    for c in ns.BUILTINS[backend]:
        res, printed = captured(d2l.train_concise, resolve(backend, c["trainer"]), c["kwargs"], data_iter,
                                num_epochs=ns.EPOCHS, seed=ns.SEED, plot=False)
        out["builtin"][c["id"]] = summary(res, printed)
    res, printed = captured(d2l.train_concise, resolve(backend, ns.BUILTINS[backend][0]["trainer"]),
                            ns.BUILTINS[backend][0]["kwargs"], data_iter, num_epochs=1, plot=True)
    out["plot"] = {"num_axes": len(res.figure.axes), "ylabels": [a.get_ylabel() for a in res.figure.axes],
                   "printed": printed, "repr": repr(res)}
    res, _ = captured(d2l.train_concise, resolve(backend, ns.BUILTINS[backend][0]["trainer"]),
                      ns.BUILTINS[backend][0]["kwargs"], data_iter, num_epochs=1, plot=False, model="softmax")
    out["softmax"] = summary(res)
    return out


def job_digits(backend, d2l):
    """The digits data as this backend sees it, and the bad arguments that involve it."""
    import numpy as np

    def numpy_of(t):
        return d2l._Backend.to_numpy([t])[0]

    data_iter, feature_dim = d2l.get_data("digits", batch_size=32, seed=0)
    other_seed, _ = d2l.get_data("digits", batch_size=32, seed=5)
    X, y = next(iter(data_iter))
    airfoil, air_dim = d2l.get_data("airfoil")
    init, sgd = importlib.import_module(f"rules.{backend}_rules").RULES["sgd"]
    trainer = resolve(backend, _spec.BUILTINS[backend][0]["trainer"])
    kwargs = _spec.BUILTINS[backend][0]["kwargs"]
    return {
        "feature_dim": feature_dim, "num_classes": data_iter.num_classes, "num_examples": data_iter.num_examples,
        "len": len(data_iter), "batch_dtypes": [str(numpy_of(X).dtype), str(numpy_of(y).dtype)],
        "batch_shapes": [list(numpy_of(X).shape), list(numpy_of(y).shape)],
        "train_X": numpy_of(data_iter.X).tolist(), "train_y": numpy_of(data_iter.y).tolist(),
        "test_X": numpy_of(data_iter.test_X).tolist(), "test_y": numpy_of(data_iter.test_y).tolist(),
        "test_same_for_another_seed": bool(np.array_equal(numpy_of(other_seed.test_X), numpy_of(data_iter.test_X))),
        "train_same_for_another_seed": bool(np.array_equal(other_seed.features, data_iter.features)),
        "param_shapes": [list(s) for s in d2l.param_shapes(data_iter)],
        "param_shapes_softmax": [list(s) for s in d2l.param_shapes(data_iter, model="softmax")],
        "param_shapes_airfoil": [list(s) for s in d2l.param_shapes(airfoil)],
        "errors": {
            "unknown_data_set": error_of(d2l.get_data, "mnist"),
            "name_as_batch_size": error_of(d2l.get_data, 10),
            "batch_size_above_train": error_of(d2l.get_data, "digits", batch_size=1439),
            "n_above_train": error_of(d2l.get_data, "digits", n=1439),
            "unknown_model": error_of(d2l.train_concise, trainer, kwargs, data_iter, plot=False, model="cnn"),
            "classifier_on_airfoil": error_of(d2l.train_from_scratch, sgd, {}, {"lr": 0.01}, airfoil, air_dim,
                                              plot=False, model="mlp"),
            "regression_on_digits": error_of(d2l.train_concise, trainer, kwargs, data_iter, plot=False,
                                             model="linreg"),
            "feature_dim_airfoil_on_digits": error_of(d2l.train_from_scratch, sgd, {}, {"lr": 0.01}, data_iter,
                                                      air_dim, plot=False),
        },
    }


JOBS = {"network": job_network, "digits": job_digits, "train": job_train, "data": job_data, "errors": job_errors,
        "result": job_result}


def main(backend, job):
    os.environ.setdefault("MPLBACKEND", "Agg")
    import d2l_lite
    d2l = d2l_lite.load_backend(backend)
    try:
        import jobs
        table = {**JOBS, **jobs.collect()}
        if job not in table:
            raise KeyError(f"no worker job {job!r}; the jobs are {', '.join(sorted(table))}")
        result = {"ok": True, "result": table[job](backend, d2l)}
    except Exception:  # noqa: BLE001  (reported to the test, which fails with the traceback)
        result = {"ok": False, "traceback": traceback.format_exc()}
    sys.stdout.write("\n" + MARK + json.dumps(result) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main(*sys.argv[1:])
