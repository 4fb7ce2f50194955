"""Reading files safely: formats, CRS recognition, limits, archives."""

from __future__ import annotations

import json
import zipfile

import pytest

from geo.errors import CRSError, ImportFormatError, WijkatlasError
from geo.io.readers import parse_number, read_source
from test_io_fixtures import X0, Y0, pdok_frame, upper_frame, write


@pytest.mark.parametrize("fmt,suffix", [("geojson", "geojson"), ("gpkg", "gpkg"), ("shpzip", "zip"), ("csv", "csv")])
def test_every_format_reads_into_rd_new(tmp_path, fmt, suffix):
    path = write(upper_frame(), tmp_path / f"b.{suffix}", fmt)
    src = read_source(path)
    assert len(src) == 4
    assert src.frame.crs.to_epsg() == 28992
    minx, miny, *_ = src.frame.total_bounds
    assert (minx, miny) == pytest.approx((X0, Y0))
    assert "BU_CODE" in src.columns


def test_geojson_in_wgs84_is_converted(tmp_path):
    path = write(upper_frame().to_crs(4326), tmp_path / "wgs.geojson", "geojson")
    src = read_source(path)
    assert src.crs_found == "EPSG:4326"
    assert src.frame.total_bounds[0] == pytest.approx(X0, abs=0.01)


def test_rd_geojson_without_crs_member_is_recognised_and_said(tmp_path):
    path = write(upper_frame(), tmp_path / "rd.geojson", "geojson", crs_member=False)
    src = read_source(path)
    assert src.crs_found == "EPSG:28992"
    assert "RD New" in src.crs_note
    assert src.frame.total_bounds[0] == pytest.approx(X0)


def test_ambiguous_coordinates_refused_with_hint(tmp_path):
    frame = upper_frame()
    frame = frame.set_geometry(frame.geometry.translate(-X0 + 10, -Y0 + 10))  # small numbers, no CRS
    path = write(frame.set_crs(None, allow_override=True), tmp_path / "x.csv", "csv")
    with pytest.raises(CRSError, match="--crs"):
        read_source(path)


def test_crs_option_overrides(tmp_path):
    frame = upper_frame().to_crs(3857)
    path = write(frame, tmp_path / "m.csv", "csv")  # WKT in web mercator, no CRS said
    with pytest.raises(CRSError):
        read_source(path)
    src = read_source(path, crs="EPSG:3857")
    assert src.frame.total_bounds[0] == pytest.approx(X0, abs=0.5)
    with pytest.raises(CRSError, match="onbekend"):
        read_source(path, crs="EPSG:999999")


def test_rd_coordinates_labelled_wgs84_refused(tmp_path):
    doc = json.loads(upper_frame().to_json())
    doc["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    path = tmp_path / "wrong.geojson"
    path.write_text(json.dumps(doc))
    with pytest.raises(CRSError, match="passen niet"):
        read_source(path)


def test_geopackage_picks_the_fitting_layer_or_asks(tmp_path):
    path = tmp_path / "two.gpkg"
    upper_frame().to_file(path, layer="grenzen")
    other = upper_frame()[["geometry"]].assign(naam="x")
    other.to_file(path, layer="iets_anders")
    src = read_source(path, prefer=lambda cols: int("BU_CODE" in cols))
    assert src.layer == "grenzen"
    with pytest.raises(ImportFormatError, match="meerdere lagen"):
        read_source(path)
    assert read_source(path, layer="iets_anders").layer == "iets_anders"
    with pytest.raises(ImportFormatError, match="bestaat niet"):
        read_source(path, layer="nope")


def test_csv_semicolon_decimal_comma_bom_latlon(tmp_path):
    path = tmp_path / "punten.csv"
    path.write_bytes("\ufeffnaam;soort;lat;lon\nHuis;gebouw;52,0;5,2\n".encode("utf-8"))
    src = read_source(path)
    assert src.decimal_comma
    assert src.columns == ["naam", "soort"]
    assert src.crs_found == "EPSG:4326"
    assert 100_000 < src.frame.geometry.iloc[0].x < 200_000


def test_csv_rd_xy_recognised(tmp_path):
    path = tmp_path / "xy.csv"
    path.write_text("naam,x,y\nA,155000.5,463000\n")
    src = read_source(path)
    assert src.crs_found == "EPSG:28992" and "x/y" in src.crs_note


def test_csv_bad_number_names_row_and_field(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("naam,x,y\nA,155000,463000\nB,veel,463000\n")
    with pytest.raises(ImportFormatError, match=r"bad.csv: rij 2, veld x"):
        read_source(path)


def test_csv_without_geometry_refused(tmp_path):
    path = tmp_path / "attr.csv"
    path.write_text("GM_CODE,AANT_INW\nGM1771,40000\n")
    with pytest.raises(ImportFormatError, match="geen geometrie"):
        read_source(path)


def test_non_utf8_csv_refused(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("naam,x,y\nCafé,155000,463000\n".encode("latin-1"))
    with pytest.raises(ImportFormatError, match="UTF-8"):
        read_source(path)


def test_mislabelled_and_unknown_files(tmp_path):
    fake = tmp_path / "grenzen.gpkg"
    fake.write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(ImportFormatError, match="geen GeoPackage"):
        read_source(fake)
    shp = tmp_path / "a.shp"
    shp.write_bytes(b"\x00\x00\x27\x0a")
    with pytest.raises(ImportFormatError, match="zip"):
        read_source(shp)
    odd = tmp_path / "a.docx"
    odd.write_bytes(b"PK\x03\x04rest")
    with pytest.raises(ImportFormatError, match="onbekend bestandstype"):
        read_source(odd)
    broken = tmp_path / "a.xlsx"  # a workbook is known now; a damaged one is refused as such
    broken.write_bytes(b"PK\x03\x04rest")
    with pytest.raises(ImportFormatError, match="a.xlsx: kan niet gelezen worden als Excel"):
        read_source(broken)
    empty = tmp_path / "leeg.geojson"
    empty.write_text("")
    with pytest.raises(ImportFormatError, match="leeg"):
        read_source(empty)


def test_truncated_json_names_line(tmp_path):
    path = write(upper_frame(), tmp_path / "t.geojson", "geojson")
    path.write_text(path.read_text()[:200])
    with pytest.raises(ImportFormatError, match=r"t.geojson: geen geldige JSON \(regel"):
        read_source(path)


def _topojson(translate, scale, props):
    return {"type": "Topology", "transform": {"scale": scale, "translate": translate},
            "objects": {"buurten": {"type": "GeometryCollection", "geometries": [
                {"type": "Polygon", "arcs": [[0]], "properties": props}]}},
            "arcs": [[[0, 0], [1000, 0], [0, 1000], [-1000, 0], [0, -1000]]]}


def test_topojson_in_rd_is_read_through_gdal(tmp_path):
    path = tmp_path / "wijken.topojson"
    path.write_text(json.dumps(_topojson([X0, Y0], [1, 1], {"statcode": "BU99910000", "statnaam": "A"})))
    src = read_source(path)
    assert src.format == "topojson" and src.layer == "buurten"
    assert src.crs_found == "EPSG:28992" and "RD New" in src.crs_note
    assert src.frame.geometry.iloc[0].area == pytest.approx(1e6)
    assert src.columns == ["statcode", "statnaam"]


def test_topojson_in_degrees_and_broken_topojson(tmp_path):
    path = tmp_path / "graden.json"
    path.write_text(json.dumps(_topojson([5.3, 52.1], [0.00001, 0.00001], {"naam": "x"})))
    src = read_source(path)
    assert src.crs_found == "EPSG:4326"
    broken = tmp_path / "kapot.json"
    broken.write_text(json.dumps({"type": "Topology", "objects": {}}))
    with pytest.raises(ImportFormatError, match="TopoJSON zonder"):
        read_source(broken)


def test_oversized_file_refused(tmp_path):
    path = write(upper_frame(), tmp_path / "big.geojson", "geojson")
    with pytest.raises(ImportFormatError, match="te groot"):
        read_source(path, max_bytes=100)


def test_zip_path_traversal_refused(tmp_path):
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("../../etc/evil.shp", b"x")
    with pytest.raises(ImportFormatError, match="buiten de eigen map"):
        read_source(path)
    assert not (tmp_path.parent / "etc" / "evil.shp").exists()
    path2 = tmp_path / "abs.zip"
    with zipfile.ZipFile(path2, "w") as zf:
        zf.writestr("/tmp/abs.geojson", b"{}")
    with pytest.raises(ImportFormatError, match="buiten de eigen map"):
        read_source(path2)


def test_zip_bomb_refused(tmp_path, monkeypatch):
    import geo.io.readers as readers

    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.geojson", b" " * (5 * 2**20))  # 5 MB of spaces: compresses ~1000:1
    with pytest.raises(ImportFormatError, match="zip-bom"):
        read_source(path)
    monkeypatch.setattr(readers, "MAX_UNZIPPED_BYTES", 1000)
    with pytest.raises(ImportFormatError, match="zip-bom"):
        read_source(write(upper_frame(), tmp_path / "ok.zip", "shpzip"))


def test_zip_without_data_and_shapefile_missing_parts(tmp_path):
    path = tmp_path / "leeg.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt.md", b"hallo")
    with pytest.raises(ImportFormatError, match="geen shapefile"):
        read_source(path)
    src_zip = write(upper_frame(), tmp_path / "s.zip", "shpzip")
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(src_zip) as zin, zipfile.ZipFile(broken, "w") as zout:
        for info in zin.infolist():
            if not info.filename.endswith(".dbf"):
                zout.writestr(info, zin.read(info))
    with pytest.raises(ImportFormatError, match=".dbf"):
        read_source(broken)


def test_shapefile_without_prj_recognised_as_rd(tmp_path):
    src_zip = write(upper_frame(), tmp_path / "s.zip", "shpzip")
    noprj = tmp_path / "noprj.zip"
    with zipfile.ZipFile(src_zip) as zin, zipfile.ZipFile(noprj, "w") as zout:
        for info in zin.infolist():
            if not info.filename.endswith(".prj"):
                zout.writestr(info, zin.read(info))
    src = read_source(noprj)
    assert src.crs_found == "EPSG:28992" and "RD New" in src.crs_note


def test_random_bytes_with_geo_extensions_are_clean_errors(tmp_path):
    for suffix in ("gpkg", "geojson", "zip", "csv"):
        path = tmp_path / f"junk.{suffix}"
        path.write_bytes(b"SQLite format 3\x00" + b"\x13" * 300 if suffix == "gpkg" else b"\x89PNG\x00\xff" * 50)
        with pytest.raises(WijkatlasError):
            read_source(path)


def test_parse_number():
    assert parse_number("1.234,5", True) == 1234.5
    assert parse_number("12,5") == 12.5
    assert parse_number("1234.5") == 1234.5
    assert parse_number("") is None
    with pytest.raises(ValueError):
        parse_number("abc")


def test_pdok_gpkg_reads_real_ermelo(real_data):
    src = read_source(real_data / "cmp_ermelo_cbs_buurten_GM0233.gpkg")
    assert len(src) == 17 and src.crs_found == "EPSG:28992" and src.layer == "CBS_Buurten"


def test_real_cbs_attribute_csv_has_no_geometry(real_data):
    with pytest.raises(ImportFormatError, match="geen geometrie"):
        read_source(real_data / "cbs_gemeente_2021_v1_attributes_NL.csv")


def test_pdok_frame_roundtrips_through_gpkg(tmp_path):
    src = read_source(write(pdok_frame(), tmp_path / "p.gpkg", "gpkg"))
    assert list(src.frame["buurtcode"]) == list(pdok_frame()["buurtcode"])


def test_corrupted_deflate_stream_is_a_clean_error(tmp_path):
    path = tmp_path / "s.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.geojson", json.dumps(json.loads(upper_frame().to_json())) * 3)
    data = bytearray(path.read_bytes())
    for i in range(60, 400, 7):  # inside the compressed data, after the local header
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ImportFormatError, match="s.zip"):
        read_source(path)
