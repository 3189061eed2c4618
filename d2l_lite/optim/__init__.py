"""Reference optimizers in NumPy: the textbook update rules, each an explicit pair
``init(params) -> state`` and ``update(params, grads, state)`` (in place).

They are the "built-in" optimizers of the NumPy backend (``train_concise``) and the
reference formulas against which the appendix measures every framework's optimizer.
Where frameworks disagree on a detail (where epsilon goes, what an accumulator starts
at, how the learning rate enters the velocity), the textbook choice is the default
and the variant is an option, named after what it changes.

Each rule lives in a small module of its own; this package re-exports them all. A new rule
is a new module here plus one import line below.
"""
from ._checks import _check, _choice  # noqa: F401  (used by the rule modules)
from ._classic import SGD, Adadelta, Adagrad, Adam, RMSProp, Yogi  # noqa: F401
from .nesterov import NAdam  # noqa: F401
from .lion import Lion  # noqa: F401
from .adamw import L2, AdamW, Decoupled  # noqa: F401
from .muon import Muon  # noqa: F401
from . import schedules  # noqa: F401

# every public class above; the NumPy backend re-exports them as its "built-in" optimizers
__all__ = sorted(n for n, v in dict(globals()).items() if isinstance(v, type) and not n.startswith("_"))
