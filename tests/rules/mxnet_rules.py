"""From-scratch update rules for the MXNet backend (mx.np arrays, updated in place with [:] =)."""
from mxnet import np as mnp

from ._slice_assign import make

globals().update(make(sqrt=mnp.sqrt, sign=mnp.sign,
                      full=lambda shape, value: mnp.full(shape, value, dtype="float32")))
