"""The layout rules of DESIGN.md, checked on the source itself."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_geo_web_touches_streamlit():
    offenders = [
        str(p.relative_to(ROOT))
        for p in sorted((ROOT / "geo").rglob("*.py"))
        if p.name != "web.py" and {"streamlit", "streamlit_folium"} & imported_modules(p)
    ]
    assert offenders == [], f"geo must stay free of Streamlit: {offenders}"


def test_no_streamlit_call_uses_the_deprecated_use_container_width():
    """Streamlit logs a deprecation for ``use_container_width`` on every run that
    draws such an element (``width="stretch"`` replaces it). ``st_folium`` has a
    parameter of that name of its own, which stays."""
    offenders = []
    for p in sorted([ROOT / "app.py", *(ROOT / "pages").glob("*.py"), ROOT / "geo" / "web.py"]):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not any(k.arg == "use_container_width" for k in node.keywords):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name != "st_folium":
                offenders.append(f"{p.relative_to(ROOT)}:{node.lineno} {name}")
    assert offenders == [], offenders


def test_pages_do_no_sql_or_file_parsing():
    for p in sorted((ROOT / "pages").glob("*.py")):
        mods = imported_modules(p)
        assert not {"sqlite3", "pyogrio", "fiona", "psycopg", "psycopg2", "json"} & mods, p.name
        assert "SELECT " not in p.read_text(encoding="utf-8"), p.name


def test_no_cdn_in_the_code_the_browser_runs():
    cdns = ("cdn.jsdelivr.net", "unpkg.com", "cdnjs.cloudflare.com", "code.jquery.com", "d3js.org",
            "netdna.bootstrapcdn.com")
    for p in [*(ROOT / "geo").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py",
              *(ROOT / "static").glob("*.css")]:
        text = p.read_text(encoding="utf-8")
        assert not [c for c in cdns if c in text], p


def test_every_error_derives_from_the_base():
    from geo import errors

    for name in dir(errors):
        obj = getattr(errors, name)
        if isinstance(obj, type) and issubclass(obj, Exception) and obj.__module__ == errors.__name__:
            assert issubclass(obj, errors.WijkatlasError), name


def test_every_interface_text_has_dutch_and_english():
    from geo.i18n import catalogue

    for key, pair in catalogue().items():
        assert isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(x, str) and x for x in pair), key


def test_no_page_relies_on_streamlit_magic():
    """``runner.magicEnabled`` is off (``.streamlit/config.toml``): a bare
    expression on a line of its own would silently show nothing. Streamlit's
    magic writes only non-call expressions (and no docstrings), so none may
    appear in the scripts Streamlit runs."""
    config = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert "magicEnabled = false" in config
    offenders = []
    for p in sorted([ROOT / "app.py", *(ROOT / "pages").glob("*.py")]):
        tree = ast.parse(p.read_text(encoding="utf-8"))
        docstrings = {id(body[0]) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                      for body in [node.body] if body}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Expr) and id(node) not in docstrings
                    and not isinstance(node.value, (ast.Call, ast.Await, ast.Yield, ast.YieldFrom))):
                offenders.append(f"{p.relative_to(ROOT)}:{node.lineno}")
    assert offenders == [], f"bare expressions Streamlit's magic would have shown: {offenders}"
