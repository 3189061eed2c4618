"""get_data: shapes, dtype, standardization, and the same epoch orders in every backend."""
import numpy as np
import pytest

from conftest import BACKENDS
from d2l_lite import _data


def data(backend_job, backend):
    return backend_job(backend, "data")


def test_whole_data_set_is_standardized_float32():
    full = _data.load_airfoil()
    assert full.shape == (1503, 6) and full.dtype == np.float32
    np.testing.assert_allclose(full.mean(axis=0), 0.0, atol=1e-5)
    np.testing.assert_allclose(full.std(axis=0), 1.0, atol=1e-5)


def test_load_airfoil_of_a_copy_equals_the_default(tmp_path):
    copy = tmp_path / "airfoil.dat"
    copy.write_bytes(open(_data.DATA_FILE, "rb").read())
    assert np.array_equal(_data.load_airfoil(str(copy)), _data.load_airfoil())


@pytest.mark.parametrize("backend", BACKENDS)
def test_shapes_and_dtype(backend_job, backend):
    d = data(backend_job, backend)["seed0"]
    assert d["feature_dim"] == 5
    assert d["num_examples"] == 1500 and d["len"] == 150
    for epoch in d["epochs"]:
        assert epoch["num_batches"] == 150 and epoch["batch_sizes"] == [10]
        assert epoch["X_shapes"] == [[10, 5]] and epoch["y_shapes"] == [[10, 1]]
        assert epoch["dtypes"] == ["float32"]
    assert all("float32" in t for t in d["tensor_dtypes"]), d["tensor_dtypes"]
    expected_type = {"numpy": "numpy.ndarray", "torch": "torch.Tensor", "mxnet": "mxnet.numpy.ndarray",
                     "tensorflow": "Tensor", "paddle": "paddle.Tensor"}[backend]
    assert expected_type in d["tensor_type"], d["tensor_type"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_each_epoch_visits_every_row_once_in_epoch_order(backend_job, backend):
    for name, run in data(backend_job, backend).items():
        if name.startswith(("seed", "n")):
            assert all(e["follows_epoch_order"] for e in run["epochs"]), name


@pytest.mark.parametrize("backend", BACKENDS)
def test_last_batch_is_the_remainder(backend_job, backend):
    d = data(backend_job, backend)
    odd = d["n1503_b7"]
    assert odd["len"] == 215 and odd["epochs"][0]["num_batches"] == 215
    assert odd["epochs"][0]["last_batch_size"] == 1503 - 214 * 7
    assert d["n20_b20"]["epochs"][0]["num_batches"] == 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_first_rows_of_the_full_standardized_data(backend_job, backend):
    """get_data(n=20) takes the first 20 rows of the data standardized over all 1503 rows."""
    features = np.array(data(backend_job, backend)["n20_b20"]["features"], dtype=np.float32)
    assert np.array_equal(features, _data.load_airfoil()[:20, :-1])


@pytest.mark.parametrize("backend", BACKENDS)
def test_seed_determines_the_order(backend_job, backend):
    d = data(backend_job, backend)
    for e in (0, 1):
        same = d["seed0"]["epochs"][e], d["seed0_again"]["epochs"][e]
        assert same[0]["first_X"] == same[1]["first_X"] and same[0]["first_y"] == same[1]["first_y"]
        assert d["seed0"]["epochs"][e]["first_X"] != d["seed1"]["epochs"][e]["first_X"]
    # a new order every epoch
    assert d["seed0"]["epochs"][0]["first_X"] != d["seed0"]["epochs"][1]["first_X"]


@pytest.mark.parametrize("epoch", [0, 1])
@pytest.mark.parametrize("seed", ["seed0", "seed1"])
def test_batches_identical_across_backends(backend_job, seed, epoch):
    ref = data(backend_job, "numpy")[seed]["epochs"][epoch]
    for backend in BACKENDS[1:]:
        got = data(backend_job, backend)[seed]["epochs"][epoch]
        assert np.array_equal(np.array(got["first_X"], np.float32), np.array(ref["first_X"], np.float32)), backend
        assert np.array_equal(np.array(got["first_y"], np.float32), np.array(ref["first_y"], np.float32)), backend


def test_epoch_order_is_a_function_of_its_arguments():
    a = _data.epoch_order(0, 0, 1500)
    assert np.array_equal(a, _data.epoch_order(0, 0, 1500))
    assert sorted(a.tolist()) == list(range(1500))
    assert not np.array_equal(a, _data.epoch_order(0, 1, 1500))
    assert not np.array_equal(a, _data.epoch_order(1, 0, 1500))
