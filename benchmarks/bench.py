"""``make bench``: how close d2l_lite's training loop is to each framework's floor, and how fast the book builds.

For each backend (each in its own process): ``train_from_scratch`` and ``train_concise`` with Adadelta
(rho = 0.9, batch 10, 2 epochs), next to a bare loop in that framework over pre-built tensors and the same bare
loop in NumPy. Every figure is seconds per epoch of training (loss evaluations excluded), min and median over
repetitions. Then the import time of ``d2l_lite`` and a cold and a warm book build in a scratch copy of the
repository. A second workload trains the digits MLP with Adam (batch 32, 10 epochs) against bare loops that compute
the same network and Adam directly. Prints a table and writes ``benchmarks/results.md``.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [ROOT, HERE, os.path.join(ROOT, "tests")]

from d2l_lite import BACKENDS, DISPLAY_NAMES  # noqa: E402

HYPER = {"numpy": (None, {"rho": 0.9, "eps": 1e-6}),
         "torch": ("torch.optim.Adadelta", {"lr": 1.0, "rho": 0.9, "eps": 1e-6}),
         "tensorflow": ("tf.keras.optimizers.Adadelta", {"learning_rate": 1.0, "rho": 0.9, "epsilon": 1e-6}),
         "mxnet": ("adadelta", {"rho": 0.9, "epsilon": 1e-6}),
         "paddle": ("paddle.optimizer.Adadelta", {"learning_rate": 1.0, "rho": 0.9, "epsilon": 1e-6})}
NET_ADAM = {"numpy": (None, {"lr": 1e-3, "eps": 1e-8}),
            "torch": ("torch.optim.Adam", {"lr": 1e-3, "eps": 1e-8}),
            "tensorflow": ("tf.keras.optimizers.Adam", {"learning_rate": 1e-3, "epsilon": 1e-8}),
            "mxnet": ("adam", {"learning_rate": 1e-3, "epsilon": 1e-8}),
            "paddle": ("paddle.optimizer.Adam", {"learning_rate": 1e-3, "epsilon": 1e-8})}
NET_EPOCHS = 10
TARGETS = {"mxnet_vs_torch": 4.0, "helper_vs_bare": 1.25, "tf_vs_torch": 3.0, "import_s": 0.2, "warm_book_s": 60.0, "cold_book_s": 600.0}


def _builtin(backend, d2l, table=HYPER):
    name, hp = table[backend]
    if backend == "numpy":
        return (d2l.Adadelta if table is HYPER else d2l.Adam), hp
    if backend == "mxnet":
        return name, hp
    module = {"torch": "torch", "tensorflow": "tensorflow", "paddle": "paddle"}[backend]
    obj = __import__(module)
    for part in name.split(".")[1:]:
        obj = getattr(obj, part)
    return obj, hp


def prebuilt_batches(data_iter, num_epochs):
    """The minibatches ``data_iter`` yields, epoch by epoch, as NumPy arrays built before any clock starts."""
    from d2l_lite._data import epoch_order
    X, y, bs = data_iter.features, data_iter.labels, data_iter.batch_size
    batches = []
    for e in range(num_epochs):
        idx = epoch_order(data_iter.seed, e, len(X))
        batches.append([(X[idx[i:i + bs]], y[idx[i:i + bs]]) for i in range(0, len(X), bs)])
    return batches


def worker(backend, reps):
    """Runs in a fresh process: all timings for one backend, as JSON on stdout."""
    import contextlib
    import io

    import numpy as np

    import d2l_lite
    from d2l_lite._train import init_params
    from bare_loops import LOOPS, numpy_loop
    d2l = d2l_lite.load_backend(backend)
    rules = __import__(f"rules.{backend}_rules", fromlist=["adadelta"])
    data_iter, dim = d2l.get_data(batch_size=10)
    num_epochs = 2
    out = {"scratch": [], "concise": [], "bare": [], "bare_numpy": []}
    quiet = contextlib.redirect_stdout(io.StringIO())
    for _ in range(reps):
        with quiet:
            r = d2l.train_from_scratch(rules.adadelta, rules.init_adadelta_states(dim), {"rho": 0.9, "eps": 1e-6},
                                       data_iter, dim, num_epochs=num_epochs, plot=False)
            c = d2l.train_concise(*_builtin(backend, d2l), data_iter, num_epochs=num_epochs, plot=False)
        out["scratch"].append(r.sec_per_epoch)
        out["concise"].append(c.sec_per_epoch)
    # the bare loops see the same minibatches in the same order, pre-built
    batches = prebuilt_batches(data_iter, num_epochs)
    w, b = init_params(dim)
    for _ in range(reps):
        out["bare"].append(LOOPS[backend](batches, w, b, num_epochs) / num_epochs)
        out["bare_numpy"].append(numpy_loop(batches, w, b, num_epochs) / num_epochs)
    out["final_loss"] = r.final_loss
    out["net"] = network_worker(backend, d2l, rules, reps)
    print(json.dumps(out))


def network_worker(backend, d2l, rules, reps):
    """The network workload: the digits MLP with Adam, batch 32, NET_EPOCHS epochs."""
    import contextlib
    import io

    from d2l_lite import _models
    from bare_loops import MLP_LOOPS
    data_iter, dim = d2l.get_data("digits", batch_size=32)
    hp = {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    out = {"scratch": [], "concise": [], "bare": []}
    for _ in range(reps):
        with contextlib.redirect_stdout(io.StringIO()):
            r = d2l.train_from_scratch(rules.adam, rules.init_adam_states(d2l.param_shapes(data_iter), hp), hp,
                                       data_iter, dim, num_epochs=NET_EPOCHS, plot=False)
            c = d2l.train_concise(*_builtin(backend, d2l, NET_ADAM), data_iter, num_epochs=NET_EPOCHS, plot=False)
        out["scratch"].append(r.sec_per_epoch)
        out["concise"].append(c.sec_per_epoch)
    batches = prebuilt_batches(data_iter, NET_EPOCHS)
    init = _models.init_params(_models.MODELS["mlp"], dim, 10, 0)
    for _ in range(reps):
        out["bare"].append(MLP_LOOPS[backend](batches, init, NET_EPOCHS) / NET_EPOCHS)
    if backend == "mxnet":          # the same bare loop with MXNet's own speed tools (hybridized, bulked)
        out["bare_tools"] = [MLP_LOOPS[backend](batches, init, NET_EPOCHS, tools=True) / NET_EPOCHS
                             for _ in range(reps)]
    out["final_loss"], out["test_correct"] = r.final_loss, r.test_correct
    return out


def import_time(reps=7):
    code = ("import time, sys; t = time.perf_counter(); import d2l_lite; t = time.perf_counter() - t; "
            "print(t, sorted(m for m in ('torch', 'tensorflow', 'mxnet', 'paddle') if m in sys.modules))")
    times, loaded = [], set()
    for _ in range(reps):
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
        t, mods = out.stdout.split(" ", 1)
        times.append(float(t))
        loaded |= set(eval(mods))
    return times, sorted(loaded)


def book_times():
    """A cold and a warm build in a scratch copy of the tracked files (the real _build is left alone)."""
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    tmp = tempfile.mkdtemp(prefix="d2l-bench-book-")
    try:
        for f in files:
            os.makedirs(os.path.join(tmp, os.path.dirname(f)), exist_ok=True)
            shutil.copy2(os.path.join(ROOT, f), os.path.join(tmp, f))
        times = []
        for _ in range(2):
            t = time.perf_counter()
            subprocess.run([sys.executable, "tools/bookbuild.py", "build"], cwd=tmp, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - t)
        return times
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _fmt(xs):
    return f"{min(xs) * 1e3:.1f} / {statistics.median(xs) * 1e3:.1f}"


def _mark(ok):
    return "met" if ok else "**missed**"


def versions():
    code = ("import importlib.metadata as m; print({p: m.version(p) for p in "
            "('numpy', 'torch', 'tensorflow-cpu', 'mxnet', 'paddlepaddle', 'jupyter-book')})")
    return eval(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--worker", choices=BACKENDS)
    p.add_argument("--no-book", action="store_true", help="skip the cold/warm book builds")
    a = p.parse_args()
    if a.worker:
        return worker(a.worker, a.reps)

    results = {}
    for backend in BACKENDS:
        print(f"timing {backend} ...", flush=True)
        proc = subprocess.run([sys.executable, __file__, "--worker", backend, "--reps", str(a.reps)],
                              capture_output=True, text=True)
        if proc.returncode:
            sys.exit(f"{backend} failed:\n{proc.stderr[-3000:]}")
        results[backend] = json.loads(proc.stdout.strip().splitlines()[-1])
    imp, loaded = import_time()
    book = None if a.no_book else book_times()

    lines = [f"# Benchmark results", "",
             f"Measured {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')} by `make bench` on "
             f"{platform.node() or 'this machine'}: {platform.platform()}, {os.cpu_count()} CPU cores, Python "
             f"{platform.python_version()}.",
             "Versions: " + ", ".join(f"{k} {v}" for k, v in versions().items()) + ".", "",
             f"Adadelta (rho = 0.9), batch 10, 2 epochs of 1500 examples. Milliseconds per epoch of training "
             f"(loss evaluations excluded), min / median of {a.reps} runs. In TensorFlow both the helper and the bare "
             "loop compile (trace) their `tf.function` step before the clock starts. `import d2l_lite` is timed "
             "inside a fresh interpreter (its start-up excluded). The book builds run in a scratch copy of the "
             "tracked files: cold = empty execution cache (every section executed in every framework), warm = "
             "the same build again with nothing changed.", "",
             "| framework | train_from_scratch | train_concise | bare loop | bare NumPy loop | "
             f"scratch / bare (median) | target <= {TARGETS['helper_vs_bare']} |",
             "|---|---|---|---|---|---|---|"]
    for backend in BACKENDS:
        r = results[backend]
        ratio = statistics.median(r["scratch"]) / statistics.median(r["bare"])
        lines.append(f"| {DISPLAY_NAMES[backend]} | {_fmt(r['scratch'])} | {_fmt(r['concise'])} | {_fmt(r['bare'])} "
                     f"| {_fmt(r['bare_numpy'])} | {ratio:.2f} | {_mark(ratio <= TARGETS['helper_vs_bare'])} |")
    lines += ["", f"The network workload: the digits MLP (64-64-10, ReLU, softmax cross-entropy), Adam (lr 1e-3), "
              f"batch 32, {NET_EPOCHS} epochs of 1438 images; the bare loops compute the same network and Adam "
              "directly over pre-built minibatches (NumPy with hand-written backpropagation; MXNet in its NumPy "
              "interface, mx.np, as the backend). MXNet spends its time in the per-operator cost of imperative "
              "calls (the from-scratch Adam makes about 15 per parameter and step, for 4 parameters): neither "
              "bulked engine execution nor a hybridized forward pass removes the calls of the update itself, "
              "and only the fused "
              "built-in update (`train_concise`) escapes them.", "",
              "| framework | train_from_scratch | train_concise | bare loop | scratch / bare | concise / bare "
              f"| target <= {TARGETS['helper_vs_bare']} |", "|---|---|---|---|---|---|---|"]
    for backend in BACKENDS:
        r = results[backend]["net"]
        rs = statistics.median(r["scratch"]) / statistics.median(r["bare"])
        rc = statistics.median(r["concise"]) / statistics.median(r["bare"])
        ok = rs <= TARGETS["helper_vs_bare"] and rc <= TARGETS["helper_vs_bare"]
        lines.append(f"| {DISPLAY_NAMES[backend]} | {_fmt(r['scratch'])} | {_fmt(r['concise'])} | {_fmt(r['bare'])} "
                     f"| {rs:.2f} | {rc:.2f} | {_mark(ok)} |")
    mx_lin = statistics.median(results["mxnet"]["scratch"]) / statistics.median(results["torch"]["scratch"])
    mx_net = statistics.median(results["mxnet"]["net"]["scratch"]) / statistics.median(results["torch"]["net"]["scratch"])
    mx_bare = statistics.median(results["mxnet"]["net"]["bare"]) / statistics.median(results["torch"]["net"]["bare"])
    mx_tools = (statistics.median(results["mxnet"]["net"]["bare_tools"])
                / statistics.median(results["torch"]["net"]["bare"]))
    mx_bare_lin = statistics.median(results["mxnet"]["bare"]) / statistics.median(results["torch"]["bare"])
    tf_torch = statistics.median(results["tensorflow"]["scratch"]) / statistics.median(results["torch"]["scratch"])
    lines += ["", "| target | measured | |", "|---|---|---|",
              f"| TensorFlow from-scratch epoch within {TARGETS['tf_vs_torch']}x of PyTorch's (medians) | "
              f"{tf_torch:.2f}x | {_mark(tf_torch <= TARGETS['tf_vs_torch'])} |",
              f"| MXNet from-scratch epoch within {TARGETS['mxnet_vs_torch']}x of PyTorch's, linear / network | "
              f"{mx_lin:.2f}x / {mx_net:.2f}x; MXNet's own bare loops against PyTorch's: {mx_bare_lin:.2f}x / "
              f"{mx_bare:.2f}x, and {mx_tools:.2f}x on the network with a hybridized forward pass and bulked "
              "execution (`bare_loops.mxnet_mlp_loop(tools=True)`) | "
              f"{_mark(max(mx_lin, mx_net) <= TARGETS['mxnet_vs_torch'])} |",
              f"| `import d2l_lite` under {TARGETS['import_s']} s, importing no framework | min {min(imp):.3f} s, "
              f"median {statistics.median(imp):.3f} s; frameworks imported: {', '.join(loaded) or 'none'} | "
              f"{_mark(statistics.median(imp) < TARGETS['import_s'] and not loaded)} |"]
    if book:
        lines += [f"| cold `make book` (empty cache) under {TARGETS['cold_book_s']:.0f} s | {book[0]:.1f} s | "
                  f"{_mark(book[0] < TARGETS['cold_book_s'])} |",
                  f"| warm `make book` (nothing changed) under {TARGETS['warm_book_s']:.0f} s | {book[1]:.1f} s | "
                  f"{_mark(book[1] < TARGETS['warm_book_s'])} |"]
    lines += ["", "Final losses of the last from-scratch run: " +
              ", ".join(f"{DISPLAY_NAMES[b]} {results[b]['final_loss']:.6f}" for b in BACKENDS) + "."]
    text = "\n".join(lines) + "\n"
    print(text)
    with open(os.path.join(HERE, "results.md"), "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
