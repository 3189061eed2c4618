"""Interactive 2-D trajectories: sliders for an update rule's hyperparameters.

All paths are computed here, in NumPy, for every combination of the slider values; nothing runs in
the browser but drawing. The result is displayed as a MIME bundle with two parts:

* ``image/png``: a static picture at the default values (what a notebook and a reader without
  JavaScript see);
* ``application/vnd.d2l-lite.explorer+json``: the precomputed paths, which the book's build turns into
  a plotly figure with one slider per hyperparameter (``book/_static/d2l-explorer.js``).
"""
import itertools
import math

import numpy as np

from ._plot import _figure, f_2d, grad_f_2d, train_2d

MIME = "application/vnd.d2l-lite.explorer+json"
MAX_PATHS = 400
SYMBOLS = {"eta": "\u03b7", "lr": "\u03b7", "beta": "\u03b2", "beta1": "\u03b2\u2081", "beta2": "\u03b2\u2082",
           "gamma": "\u03b3", "rho": "\u03c1", "eps": "\u03b5", "lr_scale": "\u03b7 factor"}
COLORS = ["#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"]


def _finite_list(a):
    return [None if not math.isfinite(v) else round(float(v), 6) for v in a]


def explore_2d(make_step, sliders, defaults=None, steps=20, x0=(-5.0, -2.0), title=None,
               f=f_2d, grad=grad_f_2d, view=((-6.0, 2.0), (-3.0, 3.0))):
    """Show the trajectory of ``make_step(**values)`` on the 2-D problem, with a slider per hyperparameter.

    ``make_step(**values)`` returns an update rule for :func:`train_2d` (``step(x, g, state)``), or a dict
    of them (label -> rule) to draw several paths at once.
    ``sliders`` maps each hyperparameter's name (as ``make_step`` takes it) to the values its slider
    offers, e.g. ``{"eta": [0.1, 0.2, 0.4], "beta": [0.0, 0.5, 0.9]}``; ``defaults`` picks the values
    shown first (by default the middle of each list). Returns the precomputed data (a dict).
    """
    if not isinstance(sliders, dict) or not sliders:
        raise ValueError("sliders must be a non-empty dict: hyperparameter name -> list of values")
    names = list(sliders)
    for n in names:
        vals = list(sliders[n])
        if not vals or not all(isinstance(v, (int, float)) and math.isfinite(v) for v in vals):
            raise ValueError(f"slider {n!r} needs a non-empty list of finite numbers, got {sliders[n]!r}")
    count = math.prod(len(sliders[n]) for n in names)
    if count > MAX_PATHS:
        raise ValueError(f"{count} combinations of slider values; at most {MAX_PATHS} are precomputed")
    defaults = dict(defaults or {})
    index = []
    for n in names:
        vals = list(sliders[n])
        if n in defaults:
            if defaults[n] not in vals:
                raise ValueError(f"default {n} = {defaults[n]!r} is not one of the slider's values {vals}")
            index.append(vals.index(defaults[n]))
        else:
            index.append(len(vals) // 2)
    paths, labels = {}, None
    for combo in itertools.product(*(range(len(sliders[n])) for n in names)):
        values = {n: sliders[n][i] for n, i in zip(names, combo)}
        rules = make_step(**values)
        rules = rules if isinstance(rules, dict) else {"": rules}    # one rule, or several drawn together
        if labels is None:
            labels = list(rules)
        elif list(rules) != labels:
            raise ValueError(f"make_step returned rules {list(rules)} for {values}, but {labels} before")
        paths[",".join(map(str, combo))] = []
        for rule in rules.values():
            trace = train_2d(rule, steps=steps, x0=x0, grad=grad, verbose=False)
            loss = f(trace[:, 0], trace[:, 1])
            paths[",".join(map(str, combo))].append(
                {"x1": _finite_list(trace[:, 0]), "x2": _finite_list(trace[:, 1]), "loss": _finite_list(loss)})
    (lo1, hi1), (lo2, hi2) = view
    g1, g2 = np.linspace(lo1, hi1, 81), np.linspace(lo2, hi2, 61)
    X1, X2 = np.meshgrid(g1, g2)
    data = {"title": title or "", "labels": labels, "steps": steps, "view": [list(view[0]), list(view[1])],
            "sliders": [{"name": n, "label": SYMBOLS.get(n, n), "values": [float(v) for v in sliders[n]]}
                        for n in names],
            "default": index, "paths": paths,
            "contour": {"x1": _finite_list(g1), "x2": _finite_list(g2),
                        "z": [_finite_list(row) for row in f(X1, X2)]}}
    _display(data, _static_png(data, view))
    return data


def _static_png(data, view):
    key = ",".join(map(str, data["default"]))
    fig, (ax1, ax2) = _figure(2, figsize=(8.0, 2.9))
    c = data["contour"]
    ax1.contour(c["x1"], c["x2"], np.array(c["z"], dtype=float), levels=12, colors="#1f77b4", linewidths=0.6)
    for p, label, color in zip(data["paths"][key], data["labels"], COLORS):
        as_float = {k: np.array([np.nan if v is None else v for v in p[k]]) for k in ("x1", "x2", "loss")}
        ax1.plot(as_float["x1"], as_float["x2"], "-o", color=color, markersize=3, label=label or None)
        ax2.semilogy(as_float["loss"], "-o", color=color, markersize=3)
    if any(data["labels"]):
        ax1.legend(fontsize=7)
    ax1.set_xlim(*view[0])
    ax1.set_ylim(*view[1])
    ax1.set_xlabel("x1")
    ax1.set_ylabel("x2")
    ax2.set_xlabel("step")
    ax2.set_ylabel("f(x)")
    chosen = ", ".join(f"{s['label']} = {s['values'][i]:g}" for s, i in zip(data["sliders"], data["default"]))
    fig.suptitle(f"{data['title']}: {chosen}" if data["title"] else chosen, fontsize=9)
    import io
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return buf.getvalue()


def _display(data, png):
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return
    if get_ipython() is not None:
        import base64
        display({MIME: data, "image/png": base64.b64encode(png).decode("ascii"), "text/plain": f"<explorer: {data['title']}>"}, raw=True)
