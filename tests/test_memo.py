"""The build's run cache (d2l_lite/_memo.py): a NumPy reference run repeated by several framework notebooks
of one build runs once, and the copy is exactly what a fresh run gives; anything not keyable always runs."""
import json

from conftest import python

CODE = r"""
import json, os, numpy as np
from d2l_lite import numpy as ref, _memo
it, _ = ref.get_data("digits", batch_size=32, seed=0)
def run(opt=ref.Adam, hp={"lr": 0.01}, **kw):
    r = ref.train_concise(opt, hp, it, num_epochs=2, plot=False, **kw)
    return {"loss": r.final_loss, "losses": r.losses, "correct": r.test_correct,
            "params": [p.tolist() for p in r.params], "epoch": it.epoch}
out = {"first": run(), "again": run(), "files": sorted(os.listdir(os.environ[_memo.ENV])) if os.environ.get(_memo.ENV) else []}
out["other_lr"] = run(hp={"lr": 0.02})
out["files_after_other"] = len(os.listdir(os.environ[_memo.ENV])) if os.environ.get(_memo.ENV) else 0
out["lambda_key"] = _memo.key("numpy", lambda lr: ref.Adam(lr=lr), {"lr": 0.01}, it, 2, 0, "mlp", None, False)
out["torch_key"] = _memo.key("torch", ref.Adam, {"lr": 0.01}, it, 2, 0, "mlp", None, False)
out["plot_key"] = _memo.key("numpy", ref.Adam, {"lr": 0.01}, it, 2, 0, "mlp", None, True)
print("JSON" + json.dumps(out))
"""


def _run(env):
    proc = python(CODE, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    return json.loads(next(l for l in lines if l.startswith("JSON"))[4:]), lines


def test_a_cached_run_equals_a_fresh_one(tmp_path):
    cached, lines = _run({"D2L_LITE_RUN_CACHE": str(tmp_path / "runs")})
    fresh, _ = _run({"D2L_LITE_RUN_CACHE": ""})
    assert len(cached["files"]) == 1, "the first run is stored, the second reads it"
    assert cached["first"] == cached["again"] == fresh["first"]      # losses, test counts, parameters, epoch
    report = [l for l in lines if l.startswith("loss:")]
    assert len(report) == 3 and report[0] == report[1], "the copy prints the stored report line"
    assert cached["other_lr"]["loss"] != cached["first"]["loss"] and cached["files_after_other"] == 2
    assert fresh["files"] == [] and fresh["first"] == fresh["again"]


def test_what_cannot_be_keyed_always_runs(tmp_path):
    out, _ = _run({"D2L_LITE_RUN_CACHE": str(tmp_path / "runs")})
    assert out["lambda_key"] is None and out["torch_key"] is None and out["plot_key"] is None
