"""From-scratch update rules for the NumPy backend (gradients come from d2l_lite, by hand)."""
import numpy as np

from ._slice_assign import make

globals().update(make(sqrt=np.sqrt, sign=np.sign, full=lambda shape, value: np.full(shape, value, dtype=np.float32)))
