"""The airfoil self-noise data and a minibatch iterator that is the same in every backend.

Data: NASA airfoil self-noise (Brooks, Pope and Marcolini, 1989), from the UCI Machine
Learning Repository, licensed CC BY 4.0. 1503 rows; five features and the scaled sound
pressure level as the target. See ``d2l_lite/data/README.md``.
"""
import hashlib
import os

import numpy as np

from ._checks import check_int

DATA_FILE = os.path.join(os.path.dirname(__file__), "data", "airfoil_self_noise.dat")
DATA_SHA1 = "76e5be1548fd8222e5074cf0faae75edff8cf93f"
NUM_ROWS = 1503

_cache = {}


def load_airfoil(path=None):
    """Return the whole data set, each column standardized, as a float32 array (1503, 6).

    The file's SHA-1 is checked first, so a damaged copy fails loudly instead of
    teaching wrong numbers.
    """
    path = DATA_FILE if path is None else path
    if path in _cache:
        return _cache[path]
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"the airfoil data file is missing: {path}. It ships with d2l_lite; "
            "reinstall the package (pip install -e .) or restore the file from the repository.")
    with open(path, "rb") as f:
        raw = f.read()
    digest = hashlib.sha1(raw).hexdigest()
    if digest != DATA_SHA1:
        raise ValueError(
            f"the airfoil data file {path} is corrupted: its SHA-1 is {digest}, expected {DATA_SHA1}. "
            "Restore the file from the repository (git checkout -- d2l_lite/data).")
    data = np.loadtxt(raw.decode("ascii").splitlines(), delimiter="\t", dtype=np.float64)
    data = (data - data.mean(axis=0)) / data.std(axis=0)
    data = data.astype(np.float32)
    _cache[path] = data
    return data


def batch_sizes(n, batch_size):
    """Sizes of the minibatches that split ``n`` examples: full ones, then the remainder if any."""
    return [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])


def epoch_order(seed, epoch, n):
    """The order in which epoch ``epoch`` visits the ``n`` examples; a function of its arguments only."""
    return np.random.default_rng([seed, epoch]).permutation(n)


class DataIter:
    """Minibatches ``(X, y)`` of the first ``n`` rows, reshuffled every epoch.

    Epoch ``e`` visits the rows in ``epoch_order(seed, e, n)``, in every backend. Each
    ``for`` loop over the iterator is one epoch and advances the epoch counter; the
    training functions call :meth:`reset` first, so every run sees the same orders.
    """

    def __init__(self, backend, X, y, batch_size, seed):
        self.backend = backend
        self.features, self.labels = X, y          # NumPy copies (float32)
        self.X, self.y = backend.tensor(X), backend.tensor(y)   # framework tensors, made once
        self.batch_size, self.seed = batch_size, seed
        self.num_examples, self.feature_dim = X.shape
        self.epoch = 0

    def reset(self):
        self.epoch = 0

    def __len__(self):
        return -(-self.num_examples // self.batch_size)

    @property
    def batch_sizes(self):
        """The number of examples in each minibatch of an epoch (the last may be smaller)."""
        return batch_sizes(self.num_examples, self.batch_size)

    def __iter__(self):
        idx = epoch_order(self.seed, self.epoch, self.num_examples)
        self.epoch += 1
        b = self.backend                                          # one gather and one split per epoch
        return zip(b.split(b.take(self.X, idx), self.batch_size), b.split(b.take(self.y, idx), self.batch_size))

    def __repr__(self):
        return (f"DataIter(backend={self.backend.name!r}, n={self.num_examples}, "
                f"batch_size={self.batch_size}, seed={self.seed})")


def get_data(backend, batch_size=10, n=1500, seed=0):
    n = check_int("n", n, 1, NUM_ROWS)
    batch_size = check_int("batch_size", batch_size, 1, n)
    seed = check_int("seed", seed, 0)
    data = load_airfoil()
    X, y = data[:n, :-1], data[:n, -1:]
    it = DataIter(backend, np.ascontiguousarray(X), np.ascontiguousarray(y), batch_size, seed)
    return it, it.feature_dim
