"""``wijkatlas report CODE --out FILE.pdf|FILE.html``: the plan document."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..errors import ValidationError
from ..store import open_store
from . import emit


def register(sub) -> None:
    p = sub.add_parser("report", help="maak het plandocument (PDF of HTML) van een buurt of wijk")
    p.add_argument("code", metavar="CODE", help="CBS-code van de buurt of wijk, bijvoorbeeld BU17710005")
    p.add_argument("--out", required=True, metavar="FILE", help="uitvoerbestand: .pdf of .html")
    p.add_argument("--lang", choices=("nl", "en"), default="nl", help="taal van het document (standaard nl)")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="peildatum voor 'over tijd' (standaard vandaag)")
    p.add_argument("--json", action="store_true", help="druk een JSON-samenvatting af")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..report import FORMATS, gather, write_report

    out = Path(args.out)
    if out.suffix.lower().lstrip(".") not in FORMATS:
        raise ValidationError(f"onbekend formaat '{out.suffix or '(geen)'}'; gebruik .pdf of .html", where=str(out))
    if not out.parent.exists():
        raise ValidationError(f"map {out.parent} bestaat niet", where=str(out))
    today = dt.date.today()
    if args.date:
        try:
            today = dt.date.fromisoformat(args.date)
        except ValueError:
            raise ValidationError(f"'{args.date}' is geen datum; gebruik JJJJ-MM-DD", where="--date") from None
    store = open_store(args.db)
    data = gather(store, args.code.strip().upper(), today, lang=args.lang)
    path = write_report(data, out)
    doc = {
        "code": data.area.code,
        "name": data.area.name,
        "plan": data.plan.title,
        "stage": data.plan.stage,
        "out": str(path),
        "format": path.suffix.lstrip(".").lower(),
        "bytes": path.stat().st_size,
        "activities": len(data.activities),
        "analysis_items": len(data.analysis),
        "evaluation_factors": len(data.evaluation),
        "as_of": data.quarter,
    }
    emit(args, doc, f"plandocument {data.plan.title} geschreven naar {path} ({doc['bytes']:,} bytes)".replace(",", "."))
    return 0
