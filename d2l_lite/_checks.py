"""Argument checks shared by every backend: each error names the bad value and what is allowed."""
import numbers


def check_int(name, value, low, high=None):
    """Return ``value`` if it is an int in [low, high]; raise a clear error otherwise."""
    allowed = f"an integer >= {low}" if high is None else f"an integer from {low} to {high}"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be {allowed}, got {value!r} of type {type(value).__name__}")
    if value < low or (high is not None and value > high):
        raise ValueError(f"{name} must be {allowed}, got {value}")
    return int(value)
