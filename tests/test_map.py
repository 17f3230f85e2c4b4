"""The border chapter's locator map: the DCW-GMT outlines decoded as the file describes
them, the shared border found from the outlines, the named crossings taken from the data
(never placed), and the figure in the house style."""

from __future__ import annotations

import io
import re

import matplotlib

matplotlib.use("agg")  # tests only; chapters must not call this

import h5py  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from kgkz.analysis import border, geography  # noqa: E402
from kgkz.data import boundaries, load  # noqa: E402
from kgkz.render import figures, style  # noqa: E402

SIDES = ("Kyrgyzstan", "Kazakhstan")


def _attrs(code: str) -> tuple[float, float, float, float]:
    """A country's box as the file's own attributes give it (west, south, east, north)."""
    with h5py.File(boundaries.dcw_file(), "r") as f:
        lon, lat = f[f"{code}_lon"].attrs, f[f"{code}_lat"].attrs
        return (lon["min"][0], lat["min"][0], lon["max"][0], lat["max"][0])


@pytest.fixture(scope="module")
def layers():
    return border.map_layers(SIDES)


# ----------------------------------------------------------------------------- loader
def test_decode_scales_offsets_and_splits_at_markers():
    attrs = {"min": np.array([70.0]), "scale": np.array([100.0])}
    lat_attrs = {"min": np.array([40.0]), "scale": np.array([10.0])}
    raw_lon = np.array([65535, 0, 100, 100, 0, 65535, 0, 50, 50], dtype=np.uint16)
    raw_lat = np.array([0, 0, 0, 10, 10, 1, 0, 0, 5], dtype=np.uint16)
    polygons, holes = boundaries.decode(raw_lon, raw_lat, attrs, lat_attrs)
    assert holes == (False, True)
    np.testing.assert_allclose(polygons[0], [[70, 40], [71, 40], [71, 41], [70, 41]])
    np.testing.assert_allclose(polygons[1], [[70, 40], [70.5, 40], [70.5, 40.5]])


def test_kyrgyzstan_lies_within_its_box_in_the_file_and_fills_it():
    west, south, east, north = _attrs("KG")
    outline = boundaries.outline("KG")
    w, s, e, n = outline.bounds
    step = max((east - west), (north - south)) / 65535
    assert west - step <= w and e <= east + step and south - step <= s and n <= north + step
    # Decoded with the wrong scale or offset, the points would miss the box's far sides.
    assert e > east - 0.01 and n > north - 0.01 and w < west + 0.01 and s < south + 0.01
    assert outline.name == "Kyrgyzstan" and len(outline.polygons) >= 1


def test_every_polygon_is_kept_once():
    outline = boundaries.outline("KG")
    keys = {p.tobytes() for p in outline.polygons}
    assert len(keys) == len(outline.polygons)


def test_a_missing_file_is_named(monkeypatch, tmp_path):
    missing = tmp_path / "dcw-gmt.nc"
    monkeypatch.setenv("KGKZ_DCW", str(missing))
    boundaries._outline.cache_clear()
    try:
        with pytest.raises(FileNotFoundError, match=re.escape(str(missing))) as err:
            boundaries.outline("KG")
        assert "gmt-dcw" in str(err.value)
    finally:
        monkeypatch.delenv("KGKZ_DCW")
        boundaries._outline.cache_clear()


def test_countries_are_found_by_the_names_the_actors_table_uses():
    countries = set(load.table("actors")["country"])
    assert set(SIDES) <= countries
    assert {boundaries.code_of(name) for name in SIDES} == {"KG", "KZ"}


# ----------------------------------------------------------------------------- geometry
def test_a_stretch_along_the_top_of_a_square_is_its_north():
    square = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], dtype=float)
    outline = boundaries.Outline("XX", "X", (square,), (False,))
    top = [np.array([[0, 1], [0.5, 1], [1, 1]], dtype=float)]
    assert geography.side(outline, top) == "north"
    assert geography.side(outline, [top[0] * [1, -1] + [0, 1]]) == "south"


def test_the_shared_stretch_is_of_both_outlines(layers):
    kg, kz = boundaries.outline("KG"), boundaries.outline("KZ")
    points = np.vstack(layers["shared"])
    lat0 = geography.reference_latitude(kg)
    assert geography.shared_mask(points, kz, 0.01, lat0).all()
    assert geography.shared_mask(points, kg, 0.01, lat0).all()
    assert 0 < layers["share"] < 100
    assert layers["side"] in geography.COMPASS


def test_the_map_title_says_what_the_outlines_give(layers):
    title = border.map_title(layers, SIDES)
    assert f"{layers['share']:.0f} %" in title and layers["side"] in title


def test_the_window_holds_both_sides_and_the_neighbours_that_reach_into_it(layers):
    roles = {c["code"]: c["role"] for c in layers["countries"]}
    assert roles["KG"] == "first" and roles["KZ"] == "second"
    west, south, east, north = layers["view"]
    for code in ("KG", "KZ"):
        w, s, e, n = boundaries.outline(code).bounds
        assert west < w and e < east and south < s and n < north
    for country in layers["countries"]:
        if country["label_at"] is not None:
            x, y = country["label_at"]
            assert west < x < east and south < y < north


# ----------------------------------------------------------------------------- places
def _record_text(table: str, record: str) -> str:
    frame = load.table(table)
    key = {"public_record": "ref_id", "quantities": "quantity_id"}[table]
    return " ".join(str(v) for v in frame[frame[key] == record].to_numpy().ravel())


def test_every_named_place_comes_from_the_records_it_cites():
    places = border.named_places()
    assert len(places)
    for _, p in places.iterrows():
        for table, column in (("public_record", "reports"), ("quantities", "quantities")):
            for record in filter(None, (r.strip() for r in p[column].split(","))):
                assert p["place"] in _record_text(table, record), (p["place"], record)


def test_a_checkpoint_is_one_the_data_calls_so():
    places = border.named_places()
    words = " ".join(border._border_texts()["text"])
    for _, p in places.iterrows():
        assert (f"{p['place']} checkpoint" in words) == (p["called"] == "checkpoint")


def test_no_name_runs_across_two_fields():
    """A field ending in a city and the next starting with 'checkpoint' name no crossing."""
    assert "Astana" not in set(border.named_places()["place"])


def test_the_list_cites_each_places_sources():
    places = border.named_places()
    md = border.places_markdown(places)
    assert md.count("\n") == len(places) - 1
    for _, p in places.iterrows():
        assert f"{{cite:p}}`{','.join(border.place_sources(p))}`" in md
    assert border.places_markdown(places.iloc[0:0]).startswith("- (")


# ----------------------------------------------------------------------------- figure
def _map(layers):
    style.use()
    places = border.named_places()
    fig = figures.locator_map(
        layers,
        "Named, not located:",
        border.place_lines(places),
        border.map_title(layers, SIDES),
        "longitude",
        "latitude",
    )
    return fig, places


def test_the_map_is_labelled_lists_the_places_and_prints_no_text_too_small(layers):
    fig, places = _map(layers)
    assert style.is_labelled(fig)
    style.fit_print(fig)
    assert style.smallest_printed_text(fig)[0] >= style.MIN_PT
    texts = " ".join(t.get_text() for t in fig.findobj(Text))
    for line in border.place_lines(places):
        assert line in texts
    plt.close(fig)


@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_the_map_has_the_same_bytes_every_time(layers, fmt):
    out = []
    for _ in range(2):
        fig, _places = _map(layers)
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, bbox_inches="tight")
        plt.close(fig)
        out.append(buf.getvalue())
    assert out[0] == out[1]


def test_place_lines_name_the_records():
    places = pd.DataFrame(
        [{"place": "X", "called": "checkpoint", "reports": "R1, R2", "quantities": "Q9"}]
    )
    assert border.place_lines(places) == ["X checkpoint: R1, R2, Q9"]
