"""Argument checks and state helpers shared by the NumPy reference optimizers."""
import math

import numpy as np


def _check(name, value, low, high=None, low_open=False, high_open=True):
    ok = isinstance(value, (int, float, np.floating)) and not isinstance(value, bool) and math.isfinite(value)
    if ok:
        ok = (value > low if low_open else value >= low) and \
            (high is None or (value < high if high_open else value <= high))
    if not ok:
        lo = ("(" if low_open else "[") + f"{low}, "
        hi = "inf)" if high is None else f"{high}" + (")" if high_open else "]")
        raise ValueError(f"{name} must be a finite number in {lo}{hi}, got {value!r}")
    return float(value)


def _choice(name, value, allowed):
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}, got {value!r}")
    return value


def _zeros(params, value=0.0):
    return [np.full_like(p, value) for p in params]
