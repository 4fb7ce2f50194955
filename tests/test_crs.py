"""The transformers between RD New and WGS84: PROJ's own choice, cheap to copy per thread."""

from __future__ import annotations

import math
import threading

import numpy as np
import pytest
from pyproj import CRS, Transformer

from geo import crs
from geo.model import STORE_CRS, WEB_CRS


def _from_crs(src: str, dst: str) -> Transformer:
    return Transformer.from_crs(CRS.from_user_input(src), CRS.from_user_input(dst), always_xy=True)


def _points(src: str, n: int = 50_000) -> tuple[np.ndarray, np.ndarray]:
    """Points over the Netherlands and well beyond it (Europe), in ``src``."""
    rng = np.random.default_rng(17)
    if src == WEB_CRS:
        return rng.uniform(-10, 30, n), rng.uniform(35, 70, n)
    return rng.uniform(-500_000, 800_000, n), rng.uniform(-300_000, 1_200_000, n)


@pytest.mark.parametrize(("src", "dst"), [(WEB_CRS, STORE_CRS), (STORE_CRS, WEB_CRS)])
def test_same_coordinates_as_projs_own_choice(src, dst):
    x, y = _points(src)
    ours = np.column_stack(crs.transformer(src, dst).transform(x, y))
    projs = np.column_stack(_from_crs(src, dst).transform(x, y))
    assert np.array_equal(ours, projs)


@pytest.mark.parametrize(("src", "dst"), [(WEB_CRS, STORE_CRS), (STORE_CRS, WEB_CRS)])
def test_a_pipeline_that_a_new_thread_copies_without_a_database_search(src, dst):
    t = crs.transformer(src, dst)
    # A from_crs transformer with several candidate operations has no definition
    # until it is used; ours is the one pipeline PROJ chose.
    assert t.definition.startswith("proj=pipeline")
    assert "helmert" in t.definition and "sterea" in t.definition
    got = {}
    worker = threading.Thread(target=lambda: got.update(xy=t.transform(*crs._PROBE[src])))
    worker.start()
    worker.join()
    assert got["xy"] == _from_crs(src, dst).transform(*crs._PROBE[src])


def test_the_known_points_of_the_two_systems():
    # The Onze Lieve Vrouwetoren in Amersfoort, the origin of RD: (155000, 463000),
    # in WGS84 at 5.38720621 E, 52.15517440 N; the Helmert approximation is within a metre.
    x, y = crs.lonlat_to_rd(5.38720621, 52.15517440)
    assert abs(x - 155_000) < 1 and abs(y - 463_000) < 1
    lon, lat = crs.rd_to_lonlat(155_000, 463_000)
    assert abs(lon - 5.38720621) < 1e-5 and abs(lat - 52.15517440) < 1e-5


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, 1e400])
def test_impossible_input_gives_no_coordinates(bad):
    for lonlat in (crs.lonlat_to_rd(bad, 52.0), crs.lonlat_to_rd(5.4, bad)):
        assert all(math.isnan(v) for v in lonlat)
    for xy in (crs.rd_to_lonlat(bad, 463_000.0), crs.rd_to_lonlat(155_000.0, bad)):
        assert all(math.isnan(v) for v in xy)  # PROJ itself turns x = -inf into (-129.5, -52.4)


def test_other_pairs_keep_projs_transformer():
    t = crs.transformer("EPSG:3857", STORE_CRS)
    x, y = 612_000.0, 6_800_000.0
    assert t.transform(x, y) == _from_crs("EPSG:3857", STORE_CRS).transform(x, y)
