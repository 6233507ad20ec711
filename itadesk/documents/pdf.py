"""Official PDFs with Typst and the vendored Laksaman font (TH Sarabun New's design).

``render("poster.typ", data)`` compiles ``itadesk/documents/typst/poster.typ`` with ``data`` handed
over as JSON through ``sys.inputs.data`` (templates read it with ``data()`` from ``style.typ``), so
text a user typed is never parsed as Typst markup. Only the fonts in ``itadesk/documents/fonts/``
(and Typst's own) are loaded: the output does not depend on the machine's fonts. Any Typst warning
(an unknown font family, a missing glyph source, …) is an error, so a template can never silently
print in the wrong font.

Every text value is first prepared by ``itadesk.documents.thai_breaks.prepare_data``: Thai lines break only
at dictionary word boundaries, and a number stays with its unit ("พ.ศ. ๒๕๖๘").

Not thread-safe inside Typst, hence one compiler per thread (fonts are loaded once per thread).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from decimal import Decimal
from pathlib import Path

import typst

from itadesk.documents.thai_breaks import prepare_data

HERE = Path(__file__).resolve().parent
FONTS_DIR = HERE / "fonts"
TEMPLATES_DIR = HERE / "typst"

_local = threading.local()


class PdfError(Exception):
    """A template failed to compile, or compiled with warnings."""


def _compiler() -> typst.Compiler:
    compiler = getattr(_local, "compiler", None)
    if compiler is None:
        compiler = typst.Compiler(root=str(TEMPLATES_DIR), font_paths=[str(FONTS_DIR)], ignore_system_fonts=True)
        _local.compiler = compiler
    return compiler


def _template_path(template: str) -> Path:
    path = (TEMPLATES_DIR / template).resolve()
    if path.suffix != ".typ" or path.parent != TEMPLATES_DIR or not path.is_file():
        raise PdfError(f"no template {template!r} in {TEMPLATES_DIR}")
    return path


def _json_default(value):
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | tuple):
        return list(value)
    raise TypeError(f"cannot hand {type(value).__name__} to a document template")


def to_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, default=_json_default)


def render(template: str, data: dict) -> bytes:
    """The PDF of ``template`` (a file name in ``itadesk/documents/typst/``) filled with ``data``."""
    path = _template_path(template)
    inputs = {"data": to_json(prepare_data(data))}
    try:
        pdf, warnings = _compiler().compile_with_warnings(input=str(path), sys_inputs=inputs)
    except typst.TypstError as exc:
        hints = "; ".join(getattr(exc, "hints", None) or [])
        raise PdfError(f"{template}: {getattr(exc, 'message', exc)}" + (f" ({hints})" if hints else "")) from exc
    if warnings:
        raise PdfError(f"{template}: " + "; ".join(getattr(w, "message", str(w)) for w in warnings))
    return pdf


def render_png(template: str, data: dict, *, ppi: int = 300) -> bytes:
    """The first page of ``template`` as a PNG image (an SVG emblem drawn for Word)."""
    path = _template_path(template)
    try:
        out = _compiler().compile(input=str(path), format="png", ppi=float(ppi), sys_inputs={"data": to_json(data)})
    except typst.TypstError as exc:
        raise PdfError(f"{template}: {getattr(exc, 'message', exc)}") from exc
    return out[0] if isinstance(out, list) else out


def families() -> list[str]:
    """The font families a template may name (the vendored ones and Typst's own)."""
    return typst.Fonts(include_system_fonts=False, font_paths=[str(FONTS_DIR)]).families()
