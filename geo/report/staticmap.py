"""A static map of a plan area, drawn with matplotlib from RD geometries.

No tiles and no network: the buurt, its neighbours' outlines, its meeting
places and the plan's activities (numbered as in the agenda table), with a
scale bar and a north arrow. Coordinates are RD New metres, so the map is
true to scale without any reprojection.
"""

from __future__ import annotations

import io

from shapely.geometry.base import BaseGeometry

from ..i18n import label, t
from ..maps.style import DOMAIN_COLOURS, MEETING_COLOURS


def _polygons(geom: BaseGeometry):
    if geom.geom_type == "Polygon":
        return [geom]
    if geom.geom_type in ("MultiPolygon", "GeometryCollection"):
        return [g for part in geom.geoms for g in _polygons(part)]
    return []


def _draw_geom(ax, geom: BaseGeometry, **kw) -> None:
    from matplotlib.patches import Polygon as MplPolygon

    kind = geom.geom_type
    if kind in ("Polygon", "MultiPolygon"):
        for poly in _polygons(geom):
            ax.add_patch(MplPolygon(list(poly.exterior.coords), closed=True, **kw))
    elif kind in ("LineString", "MultiLineString"):
        lines = [geom] if kind == "LineString" else list(geom.geoms)
        for line in lines:
            xs, ys = line.xy
            ax.plot(xs, ys, color=kw.get("edgecolor", "#333"), linewidth=kw.get("linewidth", 2.5),
                    linestyle=kw.get("linestyle", "-"), solid_capstyle="round", zorder=kw.get("zorder", 3))
    elif kind in ("Point", "MultiPoint"):
        pts = [geom] if kind == "Point" else list(geom.geoms)
        for p in pts:
            ax.scatter([p.x], [p.y], s=kw.get("s", 60), c=kw.get("facecolor", "#333"),
                       edgecolors=kw.get("edgecolor", "#222"), linewidths=1, zorder=kw.get("zorder", 4),
                       marker=kw.get("marker", "o"))


def render_map(data, width_in: float = 7.0, height_in: float = 5.6, dpi: int = 150) -> bytes:
    """The plan area's map as PNG bytes."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    lang = data.lang
    area = data.area
    fig, ax = plt.subplots(figsize=(width_in, height_in), dpi=dpi)
    minx, miny, maxx, maxy = area.geometry.bounds
    pad = max(maxx - minx, maxy - miny) * 0.12
    for nb in data.neighbours:
        _draw_geom(ax, nb.geometry, facecolor="#f4f4f4", edgecolor="#9a9a9a", linewidth=0.8, zorder=1)
        c = nb.geometry.representative_point()
        if minx - pad < c.x < maxx + pad and miny - pad < c.y < maxy + pad:
            ax.text(c.x, c.y, nb.name, fontsize=6.5, color="#777", ha="center", va="center", zorder=2)
    _draw_geom(ax, area.geometry, facecolor="#fff7d6", edgecolor="#333333", linewidth=2.0, zorder=2)

    for mp in data.meeting_places:
        if mp.geometry is not None:
            _draw_geom(ax, mp.geometry.centroid, facecolor=MEETING_COLOURS.get(mp.kind, "#555"), edgecolor="#222",
                       marker="s", s=45, zorder=4)
    used_domains = []
    meeting_at = {mp.id: mp.geometry.centroid for mp in data.meeting_places if mp.geometry is not None}
    for act in data.activities:
        geom = act.geometry if act.geometry is not None else meeting_at.get(act.meeting_place_id)
        if geom is None:
            continue
        colour = DOMAIN_COLOURS.get(act.domain, "#555")
        used_domains.append(act.domain)
        dashed = act.status == "planned"
        if geom.geom_type in ("Polygon", "MultiPolygon"):
            _draw_geom(ax, geom, facecolor=colour + "55", edgecolor=colour, linewidth=1.6,
                       linestyle="--" if dashed else "-", zorder=3)
        else:
            _draw_geom(ax, geom, facecolor=colour, edgecolor=colour if geom.geom_type.endswith(
                "LineString") else "#222", linewidth=2.6, linestyle="--" if dashed else "-", s=70, zorder=5)
        p = geom.representative_point() if geom.geom_type != "Point" else geom
        ax.annotate(str(data.number_of(act)), (p.x, p.y), xytext=(6, 6), textcoords="offset points", fontsize=7.5,
                    fontweight="bold", color="#111", zorder=6,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": colour, "lw": 0.8})

    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("#999")

    # scale bar: a round length about a fifth of the width
    span = (maxx - minx + 2 * pad)
    length = next(v for v in (50, 100, 200, 250, 500, 1000, 2000, 5000, 10000) if v >= span / 6)
    x0, y0 = minx - pad + span * 0.04, miny - pad + (maxy - miny + 2 * pad) * 0.04
    ax.plot([x0, x0 + length], [y0, y0], color="#111", linewidth=3, solid_capstyle="butt", zorder=7)
    ax.text(x0 + length / 2, y0 + span * 0.012, f"{length:g} m" if length < 1000 else f"{length / 1000:g} km",
            ha="center", va="bottom", fontsize=7, zorder=7)
    # north arrow
    ax.annotate("N", xy=(0.95, 0.95), xytext=(0.95, 0.86), xycoords="axes fraction", ha="center", va="center",
                fontsize=9, fontweight="bold", arrowprops={"arrowstyle": "-|>", "color": "#111", "lw": 1.4})

    handles = [Patch(facecolor="#fff7d6", edgecolor="#333", label=area.name)]
    for d in dict.fromkeys(used_domains):
        handles.append(Line2D([0], [0], color=DOMAIN_COLOURS[d], lw=3, label=f"{t('report.map.activity', lang)}: {label(d, lang)}"))
    if data.meeting_places:
        handles.append(Line2D([0], [0], marker="s", linestyle="", markerfacecolor="#6a3d9a", markeredgecolor="#222",
                              label=t("report.map.meeting_place", lang)))
    ax.legend(handles=handles, loc="lower right", fontsize=6.5, framealpha=0.9)
    ax.set_title(f"{area.name} ({area.code}) — RD New (EPSG:28992)", fontsize=8, color="#444")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    plt.close(fig)
    return buf.getvalue()


def figure_png(fig, dpi: int = 150) -> bytes:
    """A matplotlib figure as PNG bytes (and closed)."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()
