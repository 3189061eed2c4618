"""From-scratch update rules for the PaddlePaddle backend (called under paddle.no_grad).

Note: in Paddle, ``p -= x`` rebinds the name ``p`` to a new tensor and leaves the parameter
unchanged (unlike PyTorch), so every in-place update is written ``p[:] = ...``.
"""
import paddle

from ._slice_assign import make

globals().update(make(sqrt=paddle.sqrt, sign=paddle.sign, full=lambda shape, value: paddle.full(list(shape), value, dtype="float32")))
