"""The TrainResult of a run: what is recorded, when, what is printed, and the plot."""
import math
import re

import numpy as np
import pytest

from conftest import BACKENDS

LINE = re.compile(r"^loss: \d+\.\d{3}, \d+\.\d{3} sec/epoch\n$")


def result(backend_job, backend):
    return backend_job(backend, "result")


@pytest.mark.parametrize("backend", BACKENDS)
def test_losses_recorded_at_start_and_every_200_examples(backend_job, backend):
    r = result(backend_job, backend)["scratch"]           # n=1500, batch 10, 2 epochs
    assert len(r["losses"]) == 1 + 15
    np.testing.assert_allclose(r["epochs"], [k * 200 / 1500 for k in range(16)])
    assert r["final_loss"] == r["losses"][-1]
    assert all(math.isfinite(x) for x in r["losses"]) and not r["diverged"]
    assert r["diverged_at_epoch"] is None
    assert r["times"][0] == 0.0 and all(b >= a for a, b in zip(r["times"], r["times"][1:]))
    assert r["sec_per_epoch"] > 0
    # the training time per epoch: what the clock read at the last record, plus the moment
    # between that record and the end of the epoch
    assert r["times"][-1] / 2 <= r["sec_per_epoch"] <= r["times"][-1] / 2 + 0.05
    assert r["param_shapes"] == [[5, 1], [1]]
    assert f"{len(r['losses'])} recorded losses" in r["repr"] and f"final_loss={r['final_loss']:.6f}" in r["repr"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_last_loss_is_recorded_at_the_end_of_training(backend_job, backend):
    """n=1503, batch 7: a loss at the first batch boundary past each multiple of 200 examples,
    and one more at the end (3006 examples)."""
    r = result(backend_job, backend)["n1503_b7"]
    seen, expected = 0, [0]
    for _ in range(2):
        for start in range(0, 1503, 7):
            before, seen = seen, seen + min(7, 1503 - start)
            if seen // 200 > before // 200:
                expected.append(seen)
    expected.append(seen)
    assert len(expected) == 1 + 15 + 1
    np.testing.assert_allclose(r["epochs"], np.array(expected) / 1503)
    assert r["epochs"][-1] == 2.0


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kind", ["scratch", "concise", "n1503_b7"])
def test_printed_line(backend_job, backend, kind):
    r = result(backend_job, backend)[kind]
    assert LINE.match(r["printed"]), r["printed"]
    loss, sec = re.findall(r"\d+\.\d{3}", r["printed"])
    assert float(loss) == pytest.approx(r["final_loss"], abs=5e-4)
    assert float(sec) == pytest.approx(r["sec_per_epoch"], abs=5e-4)


@pytest.mark.parametrize("backend", BACKENDS)
def test_plot_shows_the_loss_curve(backend_job, backend):
    r = result(backend_job, backend)["scratch"]
    assert r["figure_type"] == "matplotlib.figure.Figure" and r["num_axes"] == 1
    assert len(r["lines"]) == 1
    x, y = r["lines"][0]
    assert x == r["epochs"] and y == r["losses"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_no_figure_without_plot(backend_job, backend):
    assert result(backend_job, backend)["concise"]["figure"] is False


@pytest.mark.parametrize("backend", BACKENDS)
def test_result_job_writes_nothing_to_stderr(backend_job, backend):
    report = backend_job.report(backend, "result")
    report.result  # noqa: B018
    assert report.stderr == "", report.stderr[-2000:]


def test_plot_losses_in_process():
    """plot_losses (NumPy and matplotlib only) draws one line per result, against epochs or times."""
    from d2l_lite._plot import plot_losses
    from d2l_lite._train import TrainResult
    a = TrainResult("numpy", losses=[1.0, 0.5, 0.25], epochs=[0, 1, 2], times=[0, 0.1, 0.2])
    b = TrainResult("numpy", losses=[1.0, 0.6, 0.3], epochs=[0, 1, 2], times=[0, 0.3, 0.6])
    fig = plot_losses([a, b], labels=["a", "b"], x="times")
    lines = fig.axes[0].get_lines()
    assert [list(ln.get_xdata()) for ln in lines] == [a.times, b.times]
    assert [list(ln.get_ydata()) for ln in lines] == [a.losses, b.losses]
    with pytest.raises(ValueError, match="x must be 'epochs' or 'times', got 'steps'"):
        plot_losses([a], x="steps")
    with pytest.raises(ValueError, match="got 2 results but 1 labels"):
        plot_losses([a, b], labels=["a"])


def test_table_row_outside_jupyter(capsys):
    """Outside Jupyter, table_row prints its row as a markdown table; it returns nothing."""
    from d2l_lite._report import table_row
    assert table_row("final-loss", framework="NumPy", loss=0.25, note="a|b") is None
    assert capsys.readouterr().out == "| framework | loss | note |\n|---|---|---|\n| NumPy | 0.25 | a\\|b |\n"
    with pytest.raises(ValueError, match="table must be a name of letters, digits, '-' and '_', got 'a b'"):
        table_row("a b", x=1)
    with pytest.raises(ValueError, match="at least one column"):
        table_row("t")
