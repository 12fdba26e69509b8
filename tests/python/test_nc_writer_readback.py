"""Reads the file written by tests/fixtures/nc_writer_fixture.cpp (cdpsim::io::NcWriter) back
with xarray's h5netcdf engine and with h5py: netCDF-4 conventions, values, dtypes, strings."""

import subprocess

import h5py
import numpy as np
import pytest
import xarray as xr

NOT_A_VARIABLE = b"This is a netCDF dimension but not a netCDF variable."

EXPECTED_DIMS = {
    "week": 5,
    "cdp": 3,
    "threshold": 2,
    "member": 4,
    "event": 0,
    "row": 200,
    "col": 500,
}

# name -> (dims, dtype), in written order.
EXPECTED_VARIABLES = {
    "week": (("week",), "int32"),
    "cdp": (("cdp",), "object"),
    "threshold": (("threshold",), "float64"),
    "engagement": (("week", "cdp"), "float64"),
    "f32": (("cdp",), "float32"),
    "i8": (("member",), "int8"),
    "u8": (("member",), "uint8"),
    "i16": (("threshold",), "int16"),
    "i32": (("cdp", "threshold"), "int32"),
    "i64": (("week",), "int64"),
    "u32": (("member", "cdp"), "uint32"),
    "events": (("event",), "float64"),
    "events_by_cdp": (("event", "cdp"), "float64"),
    "total": ((), "float64"),
    "big": (("row", "col"), "float64"),
    "role": (("member",), "object"),
    "no_events": (("event",), "object"),
}


@pytest.fixture(scope="module")
def nc_file(tmp_path_factory, nc_fixture_bin):
    path = tmp_path_factory.mktemp("nc_writer") / "fixture.h5"
    result = subprocess.run([str(nc_fixture_bin), str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # HDF5 must not print its error stack
    return path


@pytest.fixture(scope="module")
def ds(nc_file):
    with xr.open_dataset(nc_file, engine="h5netcdf") as dataset:
        dataset.load()
        yield dataset


def test_dimensions_and_coordinates(ds):
    assert dict(ds.sizes) == EXPECTED_DIMS
    assert set(ds.coords) == {"week", "cdp", "threshold"}
    assert ds["week"].values.tolist() == [0, 1, 2, 3, 4]
    assert ds["cdp"].values.tolist() == ["alpha", "beta", "Ωmega"]
    assert ds["threshold"].values.tolist() == [0.1, 0.5]
    assert ds.indexes["cdp"].tolist() == ["alpha", "beta", "Ωmega"]


def test_every_variable_has_named_dims_in_written_order(ds):
    assert list(ds.variables) == list(EXPECTED_VARIABLES)
    for name, (dims, dtype) in EXPECTED_VARIABLES.items():
        var = ds[name]
        assert var.dims == dims, name
        assert str(var.dtype) == dtype, name
        assert not any(d.startswith("phony_dim") for d in var.dims), name
        assert var.shape == tuple(EXPECTED_DIMS[d] for d in dims), name


def test_values(ds):
    engagement = ds["engagement"]
    np.testing.assert_array_equal(engagement.values, 0.5 + np.arange(15.0).reshape(5, 3))
    assert engagement.sel(week=2, cdp="beta").item() == 0.5 + 7
    np.testing.assert_array_equal(ds["f32"].values, np.array([1.5, 2.5, 3.5], np.float32))
    assert ds["i8"].values.tolist() == [-1, 0, 1, 127]
    assert ds["u8"].values.tolist() == [0, 1, 2, 255]
    assert ds["i16"].values.tolist() == [-300, 300]
    assert ds["i32"].values.tolist() == [[0, 1], [2, 3], [4, 5]]
    assert ds["i64"].values.tolist() == [1_000_000_000_000, -1, 0, 1, 2]
    assert ds["u32"].values.tolist() == (np.arange(12).reshape(4, 3) * 1000).tolist()
    assert ds["events"].size == 0
    assert ds["events_by_cdp"].shape == (0, 3)
    assert ds["total"].item() == 7.25
    np.testing.assert_array_equal(ds["big"].values,
                                  (np.arange(200 * 500) % 1000).reshape(200, 500).astype(float))
    assert ds["role"].values.tolist() == ["lead", "core", "peripheral", "élu"]
    assert all(type(s) is str for s in ds["role"].values)
    assert ds["no_events"].size == 0


def test_attributes_are_str_and_numbers(ds):
    assert ds.attrs == {
        "status": "complete",
        "title": "nc_writer fixture — café",
        "seed": 20180903,
        "dt": 0.5,
    }
    assert type(ds.attrs["status"]) is str
    assert ds["engagement"].attrs == {
        "units": "h/week",
        "long_name": "mean engagement",
        "valid_max": 40.0,
    }
    assert ds["week"].attrs == {"units": "weeks", "long_name": "simulation week"}
    assert ds["role"].attrs == {"long_name": "member role"}
    for name in ds.variables:
        for key, value in ds[name].attrs.items():
            assert not isinstance(value, bytes), (name, key)


def test_hdf5_layout_follows_netcdf4_conventions(nc_file):
    with h5py.File(nc_file, "r") as f:
        # The root group keeps the file creation property list's creation-order flags.
        gcpl = f["/"].id.get_create_plist()
        tracked_indexed = h5py.h5p.CRT_ORDER_TRACKED | h5py.h5p.CRT_ORDER_INDEXED
        assert gcpl.get_link_creation_order() == tracked_indexed
        assert gcpl.get_attr_creation_order() == tracked_indexed
        assert f["engagement"].id.get_create_plist().get_attr_creation_order() == tracked_indexed

        for key, value in f.attrs.items():
            assert not isinstance(value, bytes), key
        assert isinstance(f.attrs["status"], str)

        dimids = []
        for name, size in EXPECTED_DIMS.items():
            scale = f[name]
            assert scale.attrs["CLASS"] == b"DIMENSION_SCALE"
            assert scale.shape == (size,)
            dimids.append(int(scale.attrs["_Netcdf4Dimid"]))
            if name in ("week", "cdp", "threshold"):
                assert scale.attrs["NAME"] == name.encode()
            else:
                assert scale.attrs["NAME"] == NOT_A_VARIABLE + b"%10d" % size
        assert sorted(dimids) == list(range(len(EXPECTED_DIMS)))

        for name, (dims, _) in EXPECTED_VARIABLES.items():
            dset = f[name]
            if h5py.h5ds.is_scale(dset.id):
                continue
            assert len(dset.dims) == len(dims)
            for axis, dim in enumerate(dims):
                assert len(dset.dims[axis]) == 1, (name, axis)
                assert dset.dims[axis][0].name == "/" + dim, (name, axis)


def test_strings_are_variable_length_utf8(nc_file):
    with h5py.File(nc_file, "r") as f:
        for name in ("cdp", "role", "no_events"):
            info = h5py.check_string_dtype(f[name].dtype)
            assert info is not None and info.encoding == "utf-8" and info.length is None, name
        assert f["cdp"].asstr()[()].tolist() == ["alpha", "beta", "Ωmega"]
        units = f["engagement"].attrs["units"]
        assert isinstance(units, str) and units == "h/week"


def test_storage_chunked_and_compressed(nc_file):
    with h5py.File(nc_file, "r") as f:
        big = f["big"]
        assert big.compression == "gzip" and big.compression_opts == 4
        assert big.chunks[1] == 500 and 1 <= np.prod(big.chunks) <= 65536
        assert f["engagement"].compression == "gzip"
        assert f["engagement"].chunks == (5, 3)
        # Zero-length variables cannot be chunked with a fixed size-0 dimension.
        assert f["events"].shape == (0,) and f["events"].chunks is None
        assert f["total"].shape == ()
