"""Within one book build, a NumPy reference run that several framework notebooks repeat runs once.

A shared cell that sweeps the NumPy reference optimizers (``from d2l_lite import numpy as ref``) runs in
all five framework notebooks and computes the same numbers five times: NumPy is deterministic and the run
depends on nothing but its arguments. When the environment variable ``D2L_LITE_RUN_CACHE`` names a folder
(the book's build sets it, to a folder it empties before executing; a reader's notebook never has it), the
NumPy backend's ``train_concise`` stores each such run there, keyed by everything the run depends on (the
optimizer class and hyperparameters, the data's bytes, batch size and order seed, epochs, seed, model and
d2l_lite's own source), and a later call with the same key returns a copy of the stored result and prints
the stored report line. Anything that cannot be keyed exactly (a function or lambda as the trainer, a
scheduler, a plot) always runs.
"""
import contextlib
import hashlib
import io
import os
import pickle

ENV = "D2L_LITE_RUN_CACHE"
_PLAIN = (bool, int, float, str, type(None))
_source_digest = []


def _sources():
    if not _source_digest:
        h = hashlib.sha256()
        pkg = os.path.dirname(os.path.abspath(__file__))
        for d, _, files in sorted(os.walk(pkg)):
            for f in sorted(files):
                if f.endswith(".py"):
                    with open(os.path.join(d, f), "rb") as fh:
                        h.update(f.encode() + fh.read())
        _source_digest.append(h.hexdigest())
    return _source_digest[0]


def _plain(v):
    if isinstance(v, (tuple, list)):
        return all(_plain(x) for x in v)
    return isinstance(v, _PLAIN)


def key(backend_name, trainer, hyperparams, data_iter, num_epochs, seed, model, scheduler, plot):
    """The run's key, or None if it must run (no cache folder, not NumPy, or not keyable exactly)."""
    if not os.environ.get(ENV) or backend_name != "numpy" or scheduler is not None or plot:
        return None
    if not (isinstance(trainer, type) and trainer.__module__.startswith("d2l_lite.optim")):
        return None
    if not all(isinstance(k, str) and _plain(v) for k, v in hyperparams.items()):
        return None
    h = hashlib.sha256()
    for part in (_sources(), trainer.__module__, trainer.__qualname__, repr(sorted(hyperparams.items())),
                 data_iter.name, data_iter.batch_size, data_iter.seed, num_epochs, seed, model):
        h.update(repr(part).encode() + b"\0")
    for a in (data_iter.features, data_iter.labels, data_iter.test_features, data_iter.test_labels):
        h.update(b"-" if a is None else a.tobytes())
    return h.hexdigest()


def cached_run(k, data_iter, run):
    """``run()``'s result, from the cache folder if key ``k`` is there; otherwise run it and store it."""
    path = os.path.join(os.environ[ENV], k + ".pkl")
    if os.path.exists(path):
        with open(path, "rb") as f:
            result, printed, epoch = pickle.load(f)
        print(printed, end="")
        data_iter.epoch = epoch
        return result
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        result = run()
    print(buf.getvalue(), end="")
    os.makedirs(os.environ[ENV], exist_ok=True)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "wb") as f:
        pickle.dump((result, buf.getvalue(), data_iter.epoch), f)
    os.replace(tmp, path)                       # atomic: a kernel never reads half a file
    return result
