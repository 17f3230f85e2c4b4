"""Country outlines from the Digital Chart of the World as GMT ships it (DCW-GMT), which
Debian's ``gmt-dcw`` package installs: nothing is downloaded.

``dcw-gmt.nc`` is a netCDF-4 (HDF5) file with two variables per country, ``XX_lon`` and
``XX_lat`` (ISO code ``XX``), each an array of unsigned 16-bit integers. Every variable
carries its own ``min`` and ``scale`` attributes: a coordinate is ``min + raw / scale``.
A ``raw`` longitude of 65535 starts a new segment (a polygon of the country); from
DCW-GMT 2 on, a latitude of 1 at that marker flags the segment as a hole.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from . import track

DCW_FILE = Path("/usr/share/gmt-dcw/dcw-gmt.nc")
MARKER = 65535  # a raw longitude of this value starts a segment
HOLE = 1  # the raw latitude at a marker when the segment is a hole


def dcw_file() -> Path:
    """The DCW-GMT file: $KGKZ_DCW when set, else where Debian's gmt-dcw installs it."""
    return Path(os.environ.get("KGKZ_DCW", DCW_FILE))


@dataclass(frozen=True)
class Outline:
    """One country's outline: its name, its polygons (arrays of lon, lat in degrees) and
    which of them are holes."""

    code: str
    name: str
    polygons: tuple[np.ndarray, ...]
    holes: tuple[bool, ...]

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """West, south, east, north of every polygon, in degrees."""
        points = np.vstack(self.polygons)
        return (*points.min(axis=0), *points.max(axis=0))


def _open():
    path = dcw_file()
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing: the map's country outlines come from Debian's gmt-dcw "
            "package (apt-get install gmt-dcw), or set KGKZ_DCW to a copy of dcw-gmt.nc"
        )
    import h5py

    return h5py.File(path, "r")


def decode(raw_lon: np.ndarray, raw_lat: np.ndarray, lon_attrs, lat_attrs):
    """Polygons (lon, lat arrays) and hole flags from one country's raw variables."""
    lon0, lon_scale = float(lon_attrs["min"][0]), float(lon_attrs["scale"][0])
    lat0, lat_scale = float(lat_attrs["min"][0]), float(lat_attrs["scale"][0])
    starts = np.flatnonzero(raw_lon == MARKER)
    if len(starts) == 0 or starts[0] != 0:
        starts = np.concatenate([[0], starts]) if len(starts) else np.array([0])
    ends = [*starts[1:], len(raw_lon)]
    polygons, holes, seen = [], [], set()
    for start, end in zip(starts, ends, strict=True):
        marked = raw_lon[start] == MARKER
        first = start + 1 if marked else start
        key = (raw_lon[first:end].tobytes(), raw_lat[first:end].tobytes())
        if end - first < 3 or key in seen:  # the file repeats some small polygons
            continue
        seen.add(key)
        lon = lon0 + raw_lon[first:end].astype(float) / lon_scale
        lat = lat0 + raw_lat[first:end].astype(float) / lat_scale
        polygons.append(np.column_stack([lon, lat]))
        holes.append(bool(marked and raw_lat[start] == HOLE))
    return tuple(polygons), tuple(holes)


@cache
def names() -> dict[str, str]:
    """Country code -> name, from the file's list beside it (``dcw-countries.txt``)."""
    listing = dcw_file().with_name("dcw-countries.txt")
    out = {}
    if listing.is_file():
        for line in listing.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            _continent, code, name = line.split(maxsplit=2)
            out[code] = name.strip()
    return out


@cache
def _outline(code: str) -> Outline:
    with _open() as f:
        if f"{code}_lon" not in f:
            raise KeyError(f"no country '{code}' in {dcw_file()}")
        lon, lat = f[f"{code}_lon"], f[f"{code}_lat"]
        polygons, holes = decode(lon[:], lat[:], lon.attrs, lat.attrs)
    return Outline(code, names().get(code, code), polygons, holes)


def outline(code: str) -> Outline:
    """One country's outline (ISO code, e.g. ``KG``); the file is logged as read, so a
    new version of gmt-dcw re-executes the chapters that draw it."""
    track.record_file(dcw_file().resolve())
    return _outline(code)


def version() -> str:
    """The DCW-GMT version and title, from the file's attributes."""
    track.record_file(dcw_file().resolve())
    with _open() as f:
        return f.attrs["version"].decode()


@cache
def _all_bounds() -> dict[str, tuple[float, float, float, float]]:
    with _open() as f:
        out = {}
        for name in f:
            if not name.endswith("_lon") or f"{name[:-4]}_lat" not in f:
                continue
            lon, lat = f[name].attrs, f[f"{name[:-4]}_lat"].attrs
            out[name[:-4]] = (
                float(lon["min"][0]),
                float(lat["min"][0]),
                float(lon["max"][0]),
                float(lat["max"][0]),
            )
    return out


def all_bounds() -> dict[str, tuple[float, float, float, float]]:
    """Every outline's code -> west, south, east, north (from the file's attributes,
    without decoding a point)."""
    track.record_file(dcw_file().resolve())
    return dict(_all_bounds())


def code_of(name: str) -> str:
    """The code of a country named as ``dcw-countries.txt`` names it."""
    codes = [code for code, known in names().items() if known == name]
    if len(codes) != 1:
        raise KeyError(f"'{name}' names {len(codes)} countries in the DCW list, not one")
    return codes[0]
