"""The plan document as PDF (fpdf2), with an embedded DejaVu font.

The font comes from matplotlib's bundled fonts, so Dutch characters (ë, é,
€, –) print without any download or system font.
"""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF, FontFace
from fpdf.enums import XPos, YPos

from ..i18n import t
from ..timeline import matplotlib_chart
from . import content as c
from .staticmap import figure_png, render_map

FONT = "DejaVu"
INK = (33, 37, 41)
ACCENT = (8, 48, 107)  # the map's 'evaluated' blue
MUTED = (110, 110, 110)
HEAD_FILL = (222, 235, 247)
# The agenda table: nr, activity, domain, lead, period, status, estimate (mm, 170 in all).
AGENDA_WIDTHS = (8, 52, 19, 33, 22, 16, 20)
AGENDA_ALIGN = ("RIGHT", "LEFT", "LEFT", "LEFT", "LEFT", "LEFT", "RIGHT")


def font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


class _Document(FPDF):
    def __init__(self, data):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.data = data
        d = font_dir()
        self.add_font(FONT, "", str(d / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(d / "DejaVuSans-Bold.ttf"))
        self.add_font(FONT, "I", str(d / "DejaVuSans-Oblique.ttf"))
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(True, margin=18)
        self.set_title(data.plan.title)
        self.set_author(data.municipality)
        self.set_subject(t("report.subtitle", data.lang))
        self.set_creator("Wijkatlas")
        self.set_lang("nl-NL" if data.lang == "nl" else "en-GB")

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 6, f"{self.data.plan.title} · {self.data.municipality}", align="L")
        self.ln(9)
        self.set_text_color(*INK)

    def footer(self) -> None:
        if self.page_no() == 1:
            return
        self.set_y(-13)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 6, t("report.page", self.data.lang, n=self.page_no(), total="{nb}"), align="C")
        self.set_text_color(*INK)

    # --- building blocks -------------------------------------------------------
    def h1(self, text: str, need: float = 60) -> None:
        """A numbered chapter heading; starts a new page unless ``need`` mm fit below it."""
        if self.get_y() > self.h - self.b_margin - need:
            self.add_page()
        self.start_section(text, level=0)
        self.ln(3)
        self.set_font(FONT, "B", 15)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, 8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*ACCENT)
        self.set_line_width(0.4)
        self.line(self.l_margin, self.get_y() + 0.5, self.w - self.r_margin, self.get_y() + 0.5)
        self.ln(3.5)
        self.set_text_color(*INK)

    def h2(self, text: str, need: float = 45) -> None:
        """A sub-heading; starts a new page unless ``need`` mm fit below it."""
        if self.get_y() > self.h - self.b_margin - need:
            self.add_page()
        self.start_section(text, level=1)
        self.ln(1.5)
        self.set_font(FONT, "B", 11.5)
        self.multi_cell(0, 6.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def para(self, text: str, size: float = 10, style: str = "") -> None:
        self.set_font(FONT, style, size)
        self.multi_cell(0, 5.2, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def note(self, text: str) -> None:
        self.set_text_color(*MUTED)
        self.para(text, size=9, style="I")
        self.set_text_color(*INK)

    def table_rows(self, header: list[str], rows: list[list[str]], widths: tuple[float, ...], size: float = 8.5,
                   align: str | tuple = "LEFT") -> None:
        self.set_font(FONT, "", size)
        self.set_fill_color(255, 255, 255)
        self.set_draw_color(190, 190, 190)
        self.set_line_width(0.2)
        with self.table(
            col_widths=widths,
            width=self.w - self.l_margin - self.r_margin,
            text_align=align,
            line_height=4.6,
            padding=1.3,
            headings_style=FontFace(emphasis="BOLD", fill_color=HEAD_FILL, color=ACCENT),
            cell_fill_color=(247, 247, 247),
            cell_fill_mode="ROWS",
            repeat_headings=1,
            v_align="TOP",
        ) as table:
            head = table.row()
            for h in header:
                head.cell(h)
            for r in rows:
                row = table.row()
                for v in r:
                    row.cell(str(v))
        self.ln(3)

    def pairs(self, rows: list[tuple[str, str]], widths=(55, 35), numbers: bool = True) -> None:
        """A two-column key/value table (values right-aligned when they are numbers), kept on one page."""
        if self.get_y() + 7.4 * len(rows) > self.h - self.b_margin:
            self.add_page()
        self.set_font(FONT, "", 9.5)
        self.set_draw_color(200, 200, 200)
        self.set_fill_color(255, 255, 255)
        with self.table(col_widths=widths, width=sum(widths), align="LEFT", first_row_as_headings=False,
                        line_height=5, padding=1.2, text_align=("LEFT", "RIGHT" if numbers else "LEFT"),
                        cell_fill_color=(247, 247, 247), cell_fill_mode="ROWS") as table:
            for k, v in rows:
                row = table.row()
                row.cell(k)
                row.cell(v)
        self.ln(3)

    def png(self, data: bytes, width: float) -> None:
        self.image(io.BytesIO(data), x=(self.w - width) / 2, w=width)
        self.ln(2)


def render_pdf(data) -> bytes:
    """The plan document of ``data`` (:class:`geo.report.ReportData`) as PDF bytes."""
    lang = data.lang
    pdf = _Document(data)
    pdf.alias_nb_pages()

    # --- title page -------------------------------------------------------------
    pdf.add_page()
    pdf.set_fill_color(*ACCENT)
    pdf.rect(0, 0, pdf.w, 14, style="F")
    pdf.set_fill_color(255, 255, 255)
    pdf.set_y(48)
    pdf.set_font(FONT, "", 12)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, 7, f"{data.municipality} · {t('report.subtitle', lang)}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font(FONT, "B", 26)
    pdf.set_text_color(*ACCENT)
    pdf.multi_cell(0, 12, data.plan.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    pdf.set_text_color(*INK)
    pdf.pairs(c.title_lines(data), widths=(45, 90), numbers=False)
    if data.plan.summary:
        pdf.ln(4)
        pdf.para(data.plan.summary, size=11)
    pdf.set_y(pdf.h - 40)
    pdf.note(t("report.made_with", lang))

    # --- 1 area and key figures --------------------------------------------------
    pdf.add_page()
    pdf.h1(f"1. {t('report.h.area', lang)}")
    pdf.png(render_map(data), width=150)
    pdf.note(t("report.map_note", lang))
    pdf.h2(t("report.h.key_figures", lang), need=12 + 7.4 * len(c.key_figures(data)))
    figs = c.key_figures(data)
    if figs:
        pdf.pairs(figs, widths=(80, 35))
    else:
        pdf.note(t("report.none", lang))
    if data.plan.intended_effects:
        pdf.h2(t("report.h.effects", lang))
        pdf.para(data.plan.intended_effects)

    # --- 2 analysis ------------------------------------------------------------
    pdf.h1(f"2. {t('report.h.analysis', lang)}")
    for kind, key in (("strength", "report.h.strengths"), ("bottleneck", "report.h.bottlenecks")):
        pdf.h2(t(key, lang))
        header, rows = c.analysis_table(data, kind)
        if rows:
            pdf.table_rows(header, rows, widths=(22, 110, 30))
        else:
            pdf.note(t("report.none", lang))

    # --- 3 agenda ----------------------------------------------------------------
    pdf.h1(f"3. {t('report.h.agenda', lang)}")
    pdf.h2(t("report.h.totals", lang, quarter=data.quarter), need=12 + 7.4 * len(c.totals(data)))
    pdf.pairs(c.totals(data), widths=(55, 35))
    pdf.h2(t("report.h.activities", lang))
    header, rows = c.agenda_table(data)
    if rows:
        pdf.table_rows(header, rows, widths=AGENDA_WIDTHS, size=8, align=AGENDA_ALIGN)
    else:
        pdf.note(t("report.none", lang))
    pdf.h2(t("report.h.quick_wins", lang), need=60)
    header, rows = c.agenda_table(data, quick_wins_only=True)
    if rows:
        pdf.table_rows(header, rows, widths=AGENDA_WIDTHS, size=8, align=AGENDA_ALIGN)
    else:
        pdf.note(t("report.none", lang))

    for team in c.team_sections(data):
        pdf.h2(team["title"])
        header, rows = team["members"]
        if rows:
            pdf.table_rows(header, rows, widths=(55, 60, 55))
        else:
            pdf.note(t("report.none", lang))
        for key, (header, rows), widths in (("report.team.points", team["points"], (130, 40)),
                                            ("report.team.meetings", team["meetings"], (30, 140))):
            if rows:
                pdf.para(t(key, lang), style="B")
                pdf.table_rows(header, rows, widths=widths)

    # --- 4 timeline --------------------------------------------------------------
    if data.timeline:
        fig = matplotlib_chart(data.timeline, lang, today=data.today, width_in=7.0)
        width_in, height_in = fig.get_size_inches()
        height = 168 * height_in / width_in
        pdf.h1(f"4. {t('report.h.timeline', lang)}", need=min(height + 25, pdf.h - 60))
        pdf.png(figure_png(fig), width=168)
        pdf.note(t("report.timeline_note", lang, quarter=data.quarter))
    else:
        pdf.h1(f"4. {t('report.h.timeline', lang)}")
        pdf.note(t("report.none", lang))

    # --- 5 evaluation ---------------------------------------------------------------
    if data.evaluation or data.lessons_from_others:
        pdf.h1(f"5. {t('report.h.evaluation', lang)}")
        if data.evaluation:
            header, rows = c.evaluation_table(data)
            pdf.table_rows(header, rows, widths=(36, 24, 18, 40, 52), size=8)
        if data.lessons_from_others:
            pdf.h2(t("report.h.lessons", lang))
            header, rows = c.lessons_table(data)
            pdf.table_rows(header, rows, widths=(45, 55, 70), size=8)
    return bytes(pdf.output())


__all__ = ["render_pdf"]
