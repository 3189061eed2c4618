"""The data sets and a minibatch iterator that is the same in every backend.

* ``"airfoil"``: NASA airfoil self-noise (Brooks, Pope and Marcolini, 1989), 1503 rows; five
  features and the scaled sound pressure level as the target (regression).
* ``"digits"``: Optical Recognition of Handwritten Digits (Alpaydin and Kaynak, 1998), 1797
  images of 8x8 pixel counts 0-16 and the digit 0-9 (classification), split once into a fixed,
  stratified training and test part.

Both come from the UCI Machine Learning Repository under CC BY 4.0, ship with d2l_lite and are
checked by SHA-1 when loaded. See ``d2l_lite/data/README.md``.
"""
import gzip
import hashlib
import os

import numpy as np

from ._checks import check_int

DATA_FILE = os.path.join(os.path.dirname(__file__), "data", "airfoil_self_noise.dat")
DATA_SHA1 = "76e5be1548fd8222e5074cf0faae75edff8cf93f"
NUM_ROWS = 1503

DIGITS_FILE = os.path.join(os.path.dirname(__file__), "data", "digits.csv.gz")
DIGITS_SHA1 = "e0cd714d06606e7585101a8fd0314cbd1307e336"
DIGITS_ROWS = 1797
DIGITS_TEST_FRACTION = 0.2      # of each digit's images, for the test part
DIGITS_SPLIT_SEED = 20260       # the split is fixed: it does not depend on a run's seed
DIGITS_TRAIN = 1438             # training images in that split (the other 359 are the test part)

_cache = {}


def _read_checked(path, sha1, what, restore):
    """The bytes of a bundled data file, after checking that it exists and its SHA-1 is ``sha1``."""
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"the {what} data file is missing: {path}. It ships with d2l_lite; "
            "reinstall the package (pip install -e .) or restore the file from the repository.")
    with open(path, "rb") as f:
        raw = f.read()
    digest = hashlib.sha1(raw).hexdigest()
    if digest != sha1:
        raise ValueError(
            f"the {what} data file {path} is corrupted: its SHA-1 is {digest}, expected {sha1}. "
            f"Restore the file from the repository ({restore}).")
    return raw


def load_airfoil(path=None):
    """Return the whole data set, each column standardized, as a float32 array (1503, 6).

    The file's SHA-1 is checked first, so a damaged copy fails loudly instead of
    teaching wrong numbers.
    """
    path = DATA_FILE if path is None else path
    if path in _cache:
        return _cache[path]
    raw = _read_checked(path, DATA_SHA1, "airfoil", "git checkout -- d2l_lite/data")
    data = np.loadtxt(raw.decode("ascii").splitlines(), delimiter="\t", dtype=np.float64)
    data = (data - data.mean(axis=0)) / data.std(axis=0)
    data = data.astype(np.float32)
    _cache[path] = data
    return data


def load_digits(path=None):
    """Return ``(X, y)``: 1797 images as float32 pixels scaled to [0, 1], shape (1797, 64), and the
    digits as int64, shape (1797,). The gzip file's SHA-1 is checked first."""
    path = DIGITS_FILE if path is None else path
    if path in _cache:
        return _cache[path]
    raw = _read_checked(path, DIGITS_SHA1, "digits", "git checkout -- d2l_lite/data")
    rows = np.loadtxt(gzip.decompress(raw).decode("ascii").splitlines(), delimiter=",", dtype=np.int64)
    if rows.shape != (DIGITS_ROWS, 65):
        raise ValueError(f"the digits data file {path} has shape {rows.shape}, expected ({DIGITS_ROWS}, 65)")
    out = (rows[:, :64].astype(np.float32) / np.float32(16.0), rows[:, 64].copy())
    _cache[path] = out
    return out


def digits_split(y):
    """Indices ``(train, test)`` of a fixed split stratified by digit: of each digit's images,
    ``round(DIGITS_TEST_FRACTION * count)`` chosen at random (seed ``DIGITS_SPLIT_SEED``) form the
    test part. Both index lists are in the file's order."""
    test = []
    for digit in np.unique(y):
        idx = np.flatnonzero(y == digit)
        k = int(round(DIGITS_TEST_FRACTION * len(idx)))
        test.append(np.random.default_rng([DIGITS_SPLIT_SEED, int(digit)]).permutation(idx)[:k])
    test = np.sort(np.concatenate(test))
    return np.setdiff1d(np.arange(len(y)), test), test


def batch_sizes(n, batch_size):
    """Sizes of the minibatches that split ``n`` examples: full ones, then the remainder if any."""
    return [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])


def epoch_order(seed, epoch, n):
    """The order in which epoch ``epoch`` visits the ``n`` examples; a function of its arguments only."""
    return np.random.default_rng([seed, epoch]).permutation(n)


class DataIter:
    """Minibatches ``(X, y)`` of the training rows, reshuffled every epoch.

    Epoch ``e`` visits the rows in ``epoch_order(seed, e, n)``, in every backend. Each
    ``for`` loop over the iterator is one epoch and advances the epoch counter; the
    training functions call :meth:`reset` first, so every run sees the same orders.

    ``name``, ``task`` and ``default_model`` describe the data set; a classification data set
    also has ``num_classes`` and a fixed test part: ``test_X``, ``test_y`` (framework tensors)
    and ``test_features``, ``test_labels`` (NumPy). ``num_outputs`` is what a model must output.
    """

    def __init__(self, backend, X, y, batch_size, seed, name="airfoil", test=None, num_classes=None):
        self.backend = backend
        self.name, self.num_classes = name, num_classes
        self.task = "regression" if num_classes is None else "classification"
        self.default_model = DATASETS[name]["model"]
        self.features, self.labels = X, y          # NumPy copies (float32 features; labels float32 or int64)
        self.X, self.y = backend.tensor(X), backend.tensor(y)   # framework tensors, made once
        self.test_features, self.test_labels = test if test is not None else (None, None)
        self.test_X, self.test_y = (backend.tensor(t) for t in test) if test is not None else (None, None)
        self.batch_size, self.seed = batch_size, seed
        self.num_examples, self.feature_dim = X.shape
        self.epoch = 0

    @property
    def num_outputs(self):
        return 1 if self.num_classes is None else self.num_classes

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
        test = "" if self.test_X is None else f", test={len(self.test_labels)}"
        return (f"DataIter({self.name!r}, backend={self.backend.name!r}, n={self.num_examples}{test}, "
                f"batch_size={self.batch_size}, seed={self.seed})")


def _airfoil(n):
    data = load_airfoil()
    return data[:n, :-1], data[:n, -1:], None, None


def _digits(n):
    X, y = load_digits()
    train, test = digits_split(y)
    assert len(train) == DIGITS_TRAIN, (len(train), DIGITS_TRAIN)
    train = train[:n]
    return X[train], y[train], (X[test], y[test]), 10


#: Each data set: its loader (training rows, labels, test part, classes), the largest ``n`` (the
#: training rows), the default ``n``, the default batch size and the default model.
DATASETS = {
    "airfoil": {"load": _airfoil, "max_n": NUM_ROWS, "n": 1500, "batch_size": 10, "model": "linreg"},
    "digits": {"load": _digits, "max_n": DIGITS_TRAIN, "n": DIGITS_TRAIN, "batch_size": 32,
               "model": "mlp"},
}


def get_data(backend, name="airfoil", batch_size=None, n=None, seed=0):
    if not isinstance(name, str) or name not in DATASETS:
        hint = " (the data set's name comes first: get_data('airfoil', batch_size=10))" \
            if isinstance(name, int) else ""
        raise ValueError(f"unknown data set {name!r}; the data sets are: {', '.join(map(repr, DATASETS))}{hint}")
    spec = DATASETS[name]
    n = check_int("n", spec["n"] if n is None else n, 1, spec["max_n"])
    batch_size = check_int("batch_size", spec["batch_size"] if batch_size is None else batch_size, 1, n)
    seed = check_int("seed", seed, 0)
    X, y, test, num_classes = spec["load"](n)
    it = DataIter(backend, np.ascontiguousarray(X), np.ascontiguousarray(y), batch_size, seed, name=name,
                  test=test, num_classes=num_classes)
    return it, it.feature_dim
