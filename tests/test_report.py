"""The plan document: PDF text checked by extraction, HTML escaping, the CLI."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from pypdf import PdfReader

from geo import model as m
from geo.cli import main
from geo.errors import NotFound, ValidationError
from geo.report import document, gather, write_report
from geo.report.html import render_html
from geo.report.pdf import render_pdf
from geo.report.staticmap import render_map
from geo.store import open_store

from test_plans import build_world

TODAY = dt.date(2026, 11, 26)


def pdf_text(data: bytes, tmp_path) -> tuple[list[str], str]:
    path = tmp_path / "plan.pdf"
    path.write_bytes(data)
    reader = PdfReader(path)
    # Whitespace collapsed: lines that wrap in a cell or title still match.
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    return pages, " ".join(pages)


@pytest.fixture
def data(store):
    build_world(store)
    return gather(store, "BU17710005", TODAY)


def test_pdf_has_title_page_sections_tables_and_dutch_text(data, tmp_path):
    pages, text = pdf_text(render_pdf(data), tmp_path)
    assert len(pages) >= 3
    assert "Wijkontwikkelingsplan Braakhuizen-Zuid" in pages[0]
    assert "Geldrop-Mierlo" in pages[0] and "In uitvoering" in pages[0] and "26-11-2026" in pages[0]
    for heading in ("1. Het gebied", "Kerncijfers (CBS)", "2. Analyse", "Sterke punten", "Knelpunten",
                    "3. Uitvoeringsagenda", "Quick wins", "4. Tijdlijn", "5. Evaluatie"):
        assert heading in text, heading
    # analysis, agenda, money and evaluation, with Dutch characters intact
    assert "Onveilige oversteek bij de school" in text
    assert "Ontmoetingsplek Smidse" in text and "Welzijn Geldrop" in text and "2025-Q1" in text
    assert "€ 120.000" in text
    assert "Wijs per buurt één vast aanspreekpunt aan" in text
    assert "Succesfactor" in text and "Faalfactor" in text
    assert "Pagina 2 van" in pages[1]


def test_pdf_in_english(store, tmp_path):
    build_world(store)
    _, text = pdf_text(render_pdf(gather(store, "BU17710005", TODAY, lang="en")), tmp_path)
    assert "Implementation agenda" in text and "Bottlenecks" in text and "Success factor" in text


def test_other_plan_shows_shared_lessons_but_no_evaluation_of_its_own(store, tmp_path, data):
    _, text = pdf_text(render_pdf(gather(store, "BU17710006", TODAY)), tmp_path)
    assert "Speeltuin Coevering" in text
    assert "Lessen uit andere plannen" in text
    assert "Wijs per buurt één vast aanspreekpunt aan" in text  # shared by Braakhuizen-Zuid
    assert "Betrek vergunningverlening" not in text  # not shared
    assert "Succesfactor" not in text and "Faalfactor" not in text


def test_static_map_is_a_png_drawn_offline(data):
    png = render_map(data)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


def test_html_escapes_plan_texts(store, data):
    plan = data.plan
    store.add(m.AnalysisItem(plan.id, "bottleneck", "social", "<script>alert(1)</script> & meer"))
    html = render_html(gather(store, "BU17710005", TODAY))
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; meer" in html
    assert "data:image/png;base64," in html and "3. Uitvoeringsagenda" in html
    assert "http://" not in html and "https://" not in html  # nothing to fetch


def test_gather_refuses_unknown_areas_and_missing_plans(store):
    build_world(store)
    with pytest.raises(NotFound, match="bestaat niet"):
        gather(store, "BU17719999", TODAY)
    with pytest.raises(ValidationError):
        gather(store, "XX12", TODAY)
    store.delete(m.Plan, store.list(m.Plan, area_code="BU17710006")[0].id)
    with pytest.raises(NotFound, match="nog geen plan"):
        gather(store, "BU17710006", TODAY)


def test_document_for_the_download_button(store, tmp_path):
    build_world(store)
    pdf = document(store, "BU17710005", "pdf", TODAY, "en")
    assert pdf.startswith(b"%PDF")
    assert "2. Analysis" in pdf_text(pdf, tmp_path)[1]
    html = document(store, "BU17710005", "html", TODAY).decode("utf-8")
    assert "<html" in html and "Braakhuizen-Zuid" in html
    with pytest.raises(ValidationError, match="onbekend formaat 'docx'"):
        document(store, "BU17710005", "docx", TODAY)


def test_write_report_refuses_unknown_formats(data, tmp_path):
    with pytest.raises(ValidationError, match="gebruik .pdf of .html"):
        write_report(data, tmp_path / "plan.docx")


@pytest.fixture
def db_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    s = open_store(url)
    build_world(s)
    s.close()
    return url


def test_cli_report_pdf_and_json(db_url, tmp_path, capsys):
    out = tmp_path / "plan.pdf"
    code = main(["--db", db_url, "report", "BU17710005", "--out", str(out), "--json", "--date", "2026-11-26"])
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["format"] == "pdf" and doc["activities"] == 4 and doc["as_of"] == "2026-Q4"
    assert out.read_bytes()[:5] == b"%PDF-"
    _, text = pdf_text(out.read_bytes(), tmp_path)
    assert "Bankjes bij de vijver" in text


def test_cli_report_html(db_url, tmp_path, capsys):
    out = tmp_path / "plan.html"
    assert main(["--db", db_url, "report", "bu17710005", "--out", str(out)]) == 0
    assert "geschreven naar" in capsys.readouterr().out
    assert "Braakhuizen-Zuid" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args,text",
    [
        (["BU17719999", "--out", "{tmp}/x.pdf"], "bestaat niet"),
        (["BU17710005", "--out", "{tmp}/x.txt"], "gebruik .pdf of .html"),
        (["BU17710005", "--out", "{tmp}/nowhere/x.pdf"], "bestaat niet"),
        (["BU17710005", "--out", "{tmp}/x.pdf", "--date", "26-11-2026"], "geen datum"),
    ],
)
def test_cli_report_errors_are_one_line(db_url, tmp_path, capsys, args, text):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    assert main(["--db", db_url, "report", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and text in err and "\n" not in err
    assert not list(tmp_path.glob("x.*"))
