"""From-scratch update rules for the PyTorch backend (called under torch.no_grad, in place)."""
import torch

from ._slice_assign import make

globals().update(make(sqrt=torch.sqrt, sign=torch.sign, full=lambda shape, value: torch.full(shape, value, dtype=torch.float32)))
