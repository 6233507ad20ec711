"""Official Word documents from editable DOCX templates (docxtpl: Jinja tags inside a .docx).

``render_docx(template, context)`` fills a template (a path or the bytes of a .docx) and returns the
bytes of the finished document. Afterwards every run, every style and the document defaults declare
the Thai font for all four font slots (``w:ascii``, ``w:hAnsi``, ``w:eastAsia`` and ``w:cs``) and their
size for both scripts (``w:sz`` and ``w:szCs``). Word draws Thai with the *complex-script* font and
size (``w:cs``, ``w:szCs``): a template that sets only the Latin font prints Thai in Word's fallback
font (Tahoma/Angsana) at 11 pt, which is the most common fault of generated Thai letters.

The font is ``settings.ITADESK_DOCX_FONT`` (environment variable of the same name), default
``TH SarabunPSK``: the font the Cabinet made the standard for government documents (มติคณะรัฐมนตรี
๗ กันยายน ๒๕๕๓, the SIPA national fonts) and what ระเบียบงานสารบรรณ letters are typed in at 16 pt.
Offices that use TH SarabunIT๙ or TH Sarabun New set the setting. The size a template gives a run or
a style is kept; where nothing gives one, 16 pt (32 half-points).

Context values are escaped (autoescape), so ``<``, ``&`` and quotes in names and subjects print as
typed. Templates are uploaded by users, so they run in Jinja's sandbox. Images: put ``qr_image(url)``
(a QR code) or ``image(png_bytes, mm)`` in the context and write ``{{ qr }}`` in the template.

``docx_font_problems(data)`` lists every text run of a .docx whose complex-script font does not
resolve to the Thai font, or that has no complex-script size: tests of every DOCX use it.
"""

from __future__ import annotations

import functools
import io
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from itadesk.documents import qr

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{" + W_NS + "}"
DEFAULT_FONT = "TH SarabunPSK"
DEFAULT_HALF_POINTS = 32  # 16 pt, the size of Thai official letters
THAI_LANG = "th-TH"

# Parts of a .docx that hold text runs (and styles).
_RUN_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_STYLE_PART = "word/styles.xml"
_NUMBERING_PART = "word/numbering.xml"

# The order of the children of w:rPr (CT_RPr); Word rejects some files whose children are out of order.
_RPR_ORDER = [
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
    "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
    "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em",
    "lang", "eastAsianLayout", "specVanish", "oMath",
]
_THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
_FONT_ATTRS = ("ascii", "hAnsi", "eastAsia", "cs")


class DocxTemplateError(Exception):
    """A template could not be read or filled. ``str()`` is Thai and English and names the template
    and the tag (or the line of text around it)."""

    def __init__(self, template: str, problem_th: str, problem_en: str, *, where: str = ""):
        self.template = template
        self.problem_th = problem_th
        self.problem_en = problem_en
        self.where = where
        at = f" — {where}" if where else ""
        super().__init__(f"แม่แบบ {template}: {problem_th}{at} / template {template}: {problem_en}{at}")


def docx_font() -> str:
    """The Thai font every generated document declares (``ITADESK_DOCX_FONT``)."""
    try:
        from django.conf import settings

        value = getattr(settings, "ITADESK_DOCX_FONT", None)
    except Exception:  # settings not configured (pure use)
        value = None
    return value or os.environ.get("ITADESK_DOCX_FONT") or DEFAULT_FONT


# ------------------------------------------------------------------------------------------ images
@dataclass(frozen=True)
class Image:
    """A picture for a template variable: PNG bytes and the printed width in millimetres."""

    png: bytes
    width_mm: float


def image(png: bytes, mm: float) -> Image:
    return Image(png=png, width_mm=float(mm))


def qr_image(url: str, mm: float = 25) -> Image:
    """The QR code of ``url`` for a template (``{{ qr }}``), ``mm`` millimetres wide (25 mm scans
    easily from paper)."""
    return Image(png=_qr_png(url), width_mm=float(mm))


@functools.lru_cache(maxsize=256)
def _qr_png(url: str) -> bytes:
    return qr.qr_png(url, scale=10, border=4)


def _with_images(tpl, value):
    """``value`` with every ``Image`` replaced by docxtpl's InlineImage for this template."""
    from docx.shared import Mm
    from docxtpl import InlineImage

    if isinstance(value, Image):
        return InlineImage(tpl, io.BytesIO(value.png), width=Mm(value.width_mm))
    if isinstance(value, dict):
        return {k: _with_images(tpl, v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_with_images(tpl, v) for v in value]
    return value


# ---------------------------------------------------------------------------------------- rendering
def _template_name(template, name: str | None) -> str:
    if name:
        return name
    if isinstance(template, str | os.PathLike):
        return Path(template).name
    return "template.docx"


# Limits of one rendering: templates are uploaded by users, and a tag such as ``{{ 'A'*100000000 }}`` or
# ``{% for i in range(10**8) %}`` must not hold a worker or its memory. Every loop over ``range``, every
# call and every piece of output counts against them; the first one passed stops the rendering with a
# ``DocxTemplateError`` naming it.
MAX_OUTPUT_CHARS = 20_000_000  # characters of XML a template may produce (a long report is < 2 M)
MAX_VALUE_CHARS = 1_000_000  # characters (or items) one expression may build with *, %, ** or a filter
MAX_ITERATIONS = 200_000  # items all the range() loops of one rendering may give, together
MAX_SECONDS = 20.0  # wall-clock time of one rendering


class TemplateLimitError(Exception):
    """A template went past one of the limits above; ``problem_th`` / ``problem_en`` say which."""

    def __init__(self, problem_th: str, problem_en: str):
        self.problem_th = problem_th
        self.problem_en = problem_en
        super().__init__(problem_en)


@functools.cache
def _limited_environment_class():
    import time

    from jinja2.sandbox import SandboxedEnvironment

    def too_big(n):
        return TemplateLimitError(
            f"ค่าที่แท็กสร้างยาวเกินกำหนด ({n:,} เกิน {MAX_VALUE_CHARS:,} ตัวอักษร)",
            f"a tag builds a value that is too long ({n:,} > {MAX_VALUE_CHARS:,} characters)")

    class LimitedEnvironment(SandboxedEnvironment):
        intercepted_binops = frozenset(["*", "**", "%"])

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.started = time.monotonic()
            self.iterations = 0
            self.output = 0
            self.globals.pop("lipsum", None)
            self.globals["range"] = self._range
            for name in ("center", "indent", "wordwrap", "truncate", "format"):
                if name in self.filters:
                    self.filters[name] = self._checked(self.filters[name])

        def tick(self):
            if time.monotonic() - self.started > MAX_SECONDS:
                raise TemplateLimitError(f"ใช้เวลาเติมข้อมูลเกิน {MAX_SECONDS:g} วินาที",
                                         f"filling it takes longer than {MAX_SECONDS:g} seconds")

        def _range(self, *args):
            values = range(*args)
            if len(values) > MAX_ITERATIONS:
                raise TemplateLimitError(
                    f"range() ยาวเกินกำหนด ({len(values):,} เกิน {MAX_ITERATIONS:,} รอบ)",
                    f"range() is too long ({len(values):,} > {MAX_ITERATIONS:,} iterations)")
            return self._counted(values)

        def _counted(self, values):
            for value in values:
                self.iterations += 1
                if self.iterations > MAX_ITERATIONS:
                    raise TemplateLimitError(
                        f"วนซ้ำรวมเกิน {MAX_ITERATIONS:,} รอบ (เช่น {{% for %}} ซ้อนกัน)",
                        f"loops run more than {MAX_ITERATIONS:,} times in all (nested {{% for %}}?)")
                if self.iterations % 1000 == 0:
                    self.tick()
                yield value

        def _checked(self, function):
            def checked(*args, **kwargs):
                for value in list(args[1:]) + list(kwargs.values()):
                    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_VALUE_CHARS:
                        raise too_big(abs(value))
                result = function(*args, **kwargs)
                if isinstance(result, str) and len(result) > MAX_VALUE_CHARS:
                    raise too_big(len(result))
                return result

            for attribute in ("jinja_pass_arg",):
                if hasattr(function, attribute):
                    setattr(checked, attribute, getattr(function, attribute))
            return checked

        def call_binop(self, context, operator, left, right):
            self.tick()
            if operator == "*":
                for size, times in ((left, right), (right, left)):
                    if isinstance(times, int) and hasattr(size, "__len__"):
                        if len(size) * max(times, 0) > MAX_VALUE_CHARS:
                            raise too_big(len(size) * max(times, 0))
            elif operator == "**":
                if isinstance(right, int | float) and isinstance(left, int | float) and abs(right) > 64 \
                        and abs(left) > 1:
                    raise TemplateLimitError("ยกกำลังเกินกำหนด", f"a power too large ({left}**{right})")
            elif operator == "%" and isinstance(left, str):
                widths = [int(n) for spec in re.findall(r"%[-+ #0]*(\d*)(?:\.(\d*))?", left) for n in spec if n]
                if re.search(r"%[-+ #0]*\*", left):  # a width given as an argument: '%*s' % (n, x)
                    widths += [abs(v) for v in (right if isinstance(right, tuple) else (right,))
                               if isinstance(v, int) and not isinstance(v, bool)]
                if widths and max(widths) > MAX_VALUE_CHARS:
                    raise too_big(max(widths))
            return super().call_binop(context, operator, left, right)

        def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 — Jinja's own signature
            __self.tick()
            return super().call(__context, __obj, *args, **kwargs)

        def getattr(self, obj, attribute):
            self.tick()
            return super().getattr(obj, attribute)

    class LimitedTemplate(SandboxedEnvironment.template_class):
        def render(self, *args, **kwargs):
            env = self.environment
            parts = []
            for chunk in self.generate(*args, **kwargs):
                env.output += len(chunk)
                if env.output > MAX_OUTPUT_CHARS:
                    raise TemplateLimitError(
                        f"เอกสารที่ได้ยาวเกินกำหนด (เกิน {MAX_OUTPUT_CHARS:,} ตัวอักษร)",
                        f"the document it makes is too long (over {MAX_OUTPUT_CHARS:,} characters)")
                parts.append(chunk)
            env.tick()
            return "".join(parts)

    LimitedEnvironment.template_class = LimitedTemplate
    return LimitedEnvironment


def _environment():
    from jinja2 import StrictUndefined

    return _limited_environment_class()(undefined=StrictUndefined, autoescape=True)


def _tag_texts(tpl) -> list[str]:
    """The text of each paragraph of the body, headers and footers as docxtpl sees it (tags joined)."""
    texts = []
    try:
        parts = [tpl.patch_xml(tpl.get_xml())]
        for _rel, part in tpl.get_headers_footers(tpl.HEADER_URI):
            parts.append(tpl.patch_xml(tpl.get_part_xml(part)))
        for _rel, part in tpl.get_headers_footers(tpl.FOOTER_URI):
            parts.append(tpl.patch_xml(tpl.get_part_xml(part)))
    except Exception:
        return texts
    for xml in parts:
        for chunk in re.split(r"<w:p[ >]", xml):
            text = re.sub(r"<[^>]+>", "", chunk)
            if text.strip():
                texts.append(text.strip())
    return texts


def _where_for_name(tpl, name: str) -> str:
    """The first tag of the template that mentions ``name``, quoted."""
    pattern = re.compile(r"\{[{%].*?[}%]\}")
    for text in _tag_texts(tpl):
        for tag in pattern.findall(text):
            if re.search(r"\b" + re.escape(name) + r"\b", tag):
                return tag
    return ""


def _undefined_name(message: str) -> str:
    match = re.search(r"has no attribute '([^']+)'", message) or re.search(r"'([^']+)' is undefined", message)
    return match.group(1) if match else ""


def _source(template):
    if isinstance(template, bytes | bytearray):
        return io.BytesIO(bytes(template))
    return str(template)


def render_docx(template, context: dict, *, name: str | None = None, font: str | None = None) -> bytes:
    """The .docx of ``template`` (a path, or the bytes of a .docx with docxtpl/Jinja tags) filled with
    ``context``, every run and style declaring the Thai font (``font``, default ``docx_font()``) for
    all scripts and its size. Raises ``DocxTemplateError`` naming the template and the tag."""
    import jinja2
    from docxtpl import DocxTemplate

    label = _template_name(template, name)
    try:
        tpl = DocxTemplate(_source(template))
        tpl.init_docx()  # opens the package now: a file that is not a .docx fails here
        tpl.get_xml()
    except Exception as exc:  # python-docx raises several kinds (BadZipFile, KeyError, PackageNotFoundError, …)
        raise DocxTemplateError(label, "ไม่ใช่ไฟล์ Word (.docx) ที่เปิดได้", f"not a readable Word (.docx) file ({exc})") \
            from exc
    try:
        tpl.render(_with_images(tpl, dict(context)), _environment(), autoescape=True)
    except jinja2.TemplateSyntaxError as exc:
        context = [line.strip() for line in getattr(exc, "docx_context", None) or []]
        at = min(3, (exc.lineno or 1) - 1)  # docxtpl keeps the 3 paragraphs before the failing one
        failing = context[at] if at < len(context) and "{" in context[at] else ""
        where = failing or " … ".join([line for line in context if "{" in line][:2])
        raise DocxTemplateError(label, f"แท็กไม่ถูกต้อง ({exc.message})", f"bad tag ({exc.message})",
                                where=f"«{where}»" if where else "") from exc
    except jinja2.UndefinedError as exc:
        variable = _undefined_name(exc.message or "")
        tag = _where_for_name(tpl, variable) if variable else ""
        raise DocxTemplateError(label, f"ไม่มีตัวแปร '{variable or exc.message}' ในเอกสารนี้",
                                f"unknown variable '{variable or exc.message}'",
                                where=f"«{tag}»" if tag else "") from exc
    except jinja2.exceptions.SecurityError as exc:
        raise DocxTemplateError(label, f"แท็กที่ไม่อนุญาต ({exc})", f"tag not allowed ({exc})") from exc
    except jinja2.TemplateError as exc:
        raise DocxTemplateError(label, f"เติมข้อมูลไม่ได้ ({exc})", f"cannot be filled ({exc})") from exc
    except etree.XMLSyntaxError as exc:
        raise DocxTemplateError(label, "แท็กทำให้โครงสร้างเอกสารเสีย (เช่น {% for %} ข้ามย่อหน้า)",
                                f"a tag breaks the document structure ({exc})") from exc
    except TemplateLimitError as exc:
        raise DocxTemplateError(label, exc.problem_th, exc.problem_en) from exc
    except (ArithmeticError, MemoryError, RecursionError, TypeError, ValueError, LookupError) as exc:
        # e.g. 1/0, int('x'), a too-deep recursion: the template's fault, said as a message, never a 500
        raise DocxTemplateError(label, f"เติมข้อมูลไม่ได้ ({type(exc).__name__}: {exc})",
                                f"cannot be filled ({type(exc).__name__}: {exc})") from exc
    out = io.BytesIO()
    tpl.save(out)
    return thai_fonts(out.getvalue(), font=font)


# ------------------------------------------------------------------------------------------- fonts
def _child(parent, tag: str, *, create: bool = True):
    """The w:<tag> child of an rPr, created at its place in the schema order when missing."""
    found = parent.find(W + tag)
    if found is not None or not create:
        return found
    element = etree.Element(W + tag)
    rank = _RPR_ORDER.index(tag)
    for index, existing in enumerate(parent):
        local = etree.QName(existing).localname if isinstance(existing.tag, str) else ""
        if local in _RPR_ORDER and _RPR_ORDER.index(local) > rank:
            parent.insert(index, element)
            return element
    parent.append(element)
    return element


def _set_fonts(rpr, font: str) -> None:
    fonts = _child(rpr, "rFonts")
    for attr in _THEME_ATTRS:
        fonts.attrib.pop(W + attr, None)
    for attr in _FONT_ATTRS:
        fonts.set(W + attr, font)
    lang = _child(rpr, "lang")
    if not lang.get(W + "bidi"):
        lang.set(W + "bidi", THAI_LANG)


def _set_size(rpr, half_points: str | None) -> None:
    """Both sizes: each one from the other when only one is given, else ``half_points`` (if any)."""
    sz, sz_cs = rpr.find(W + "sz"), rpr.find(W + "szCs")
    value = (sz.get(W + "val") if sz is not None else None) or (
        sz_cs.get(W + "val") if sz_cs is not None else None) or half_points
    if value is None:
        return
    if sz is None or not sz.get(W + "val"):
        _child(rpr, "sz").set(W + "val", value)
    if sz_cs is None or not sz_cs.get(W + "val"):
        _child(rpr, "szCs").set(W + "val", value)


def _rpr_of(element, *, create: bool):
    rpr = element.find(W + "rPr")
    if rpr is None and create:
        rpr = etree.Element(W + "rPr")
        element.insert(0, rpr)
    return rpr


class _Styles:
    """Resolves the size and complex-script font a run gets from its styles and the defaults."""

    def __init__(self, styles_xml: bytes | None):
        self.by_id: dict[str, etree._Element] = {}
        self.default_paragraph = None
        self.defaults_rpr = None
        if styles_xml:
            root = etree.fromstring(styles_xml)
            for style in root.iter(W + "style"):
                style_id = style.get(W + "styleId")
                if style_id:
                    self.by_id[style_id] = style
                if style.get(W + "type") == "paragraph" and style.get(W + "default") in ("1", "true", "on"):
                    self.default_paragraph = style_id
            self.defaults_rpr = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")

    def _chain(self, style_id: str | None):
        seen = set()
        while style_id and style_id not in seen and style_id in self.by_id:
            seen.add(style_id)
            style = self.by_id[style_id]
            yield style.find(W + "rPr")
            based = style.find(W + "basedOn")
            style_id = based.get(W + "val") if based is not None else None

    def rprs(self, run_rpr, paragraph_style: str | None):
        """The rPr elements that apply to a run, most specific first."""
        yield run_rpr
        run_style = run_rpr.find(W + "rStyle") if run_rpr is not None else None
        if run_style is not None:
            yield from self._chain(run_style.get(W + "val"))
        yield from self._chain(paragraph_style or self.default_paragraph)
        yield self.defaults_rpr

    def resolve(self, run_rpr, paragraph_style: str | None, what: str):
        """``what`` = "cs" (the complex-script font: name, or "theme:…") or "szCs"/"sz" (half-points)."""
        for rpr in self.rprs(run_rpr, paragraph_style):
            if rpr is None:
                continue
            if what == "cs":
                fonts = rpr.find(W + "rFonts")
                if fonts is not None:
                    if fonts.get(W + "cstheme"):
                        return "theme:" + fonts.get(W + "cstheme")
                    if fonts.get(W + "cs"):
                        return fonts.get(W + "cs")
            else:
                size = rpr.find(W + what)
                if size is not None and size.get(W + "val"):
                    return size.get(W + "val")
        return None


def _paragraph_style(paragraph) -> str | None:
    if paragraph is None:
        return None
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    return style.get(W + "val") if style is not None else None


def _fix_styles(xml: bytes, font: str) -> bytes:
    root = etree.fromstring(xml)
    doc_defaults = root.find(W + "docDefaults")
    if doc_defaults is None:
        doc_defaults = etree.Element(W + "docDefaults")
        root.insert(0, doc_defaults)
    rpr_default = doc_defaults.find(W + "rPrDefault")
    if rpr_default is None:
        rpr_default = etree.Element(W + "rPrDefault")
        doc_defaults.insert(0, rpr_default)
    defaults_rpr = _rpr_of(rpr_default, create=True)
    _set_fonts(defaults_rpr, font)
    _set_size(defaults_rpr, str(DEFAULT_HALF_POINTS))
    for style in root.iter(W + "style"):
        if style.find(W + "rPr") is None and style.get(W + "type") in ("paragraph", "character"):
            etree.SubElement(style, W + "rPr")
    for rpr in root.iter(W + "rPr"):  # styles, their table parts (first row, …)
        if rpr is not defaults_rpr:
            _set_fonts(rpr, font)
            _set_size(rpr, None)  # a style's own size stays; the other script gets the same
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _fix_numbering(xml: bytes, font: str) -> bytes:
    root = etree.fromstring(xml)
    for rpr in root.iter(W + "rPr"):
        _set_fonts(rpr, font)
        _set_size(rpr, None)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _fix_runs(xml: bytes, font: str, styles: _Styles) -> bytes:
    root = etree.fromstring(xml)
    for run in root.iter(W + "r"):
        rpr = _rpr_of(run, create=True)
        paragraph = next(run.iterancestors(W + "p"), None)
        size = styles.resolve(rpr, _paragraph_style(paragraph), "sz") or styles.resolve(
            rpr, _paragraph_style(paragraph), "szCs") or str(DEFAULT_HALF_POINTS)
        _set_fonts(rpr, font)
        _set_size(rpr, size)
    for mark in root.iter(W + "pPr"):  # the paragraph marks (height of empty lines)
        rpr = mark.find(W + "rPr")
        if rpr is not None:
            _set_fonts(rpr, font)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def thai_fonts(data: bytes, *, font: str | None = None) -> bytes:
    """``data`` (a .docx) with the Thai font and both sizes declared on every run, style and default."""
    font = font or docx_font()
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    styles_xml = source.read(_STYLE_PART) if _STYLE_PART in names else None
    fixed_styles = _fix_styles(styles_xml, font) if styles_xml else None
    styles = _Styles(fixed_styles)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == _STYLE_PART and fixed_styles is not None:
                body = fixed_styles
            elif info.filename == _NUMBERING_PART:
                body = _fix_numbering(body, font)
            elif _RUN_PARTS.match(info.filename):
                body = _fix_runs(body, font, styles)
            target.writestr(info, body)
    return out.getvalue()


# ------------------------------------------------------------------------------------------ checks
def docx_font_problems(data: bytes, *, font: str | None = None) -> list[str]:
    """Every text run of the .docx ``data`` whose complex-script font (w:cs, through its styles and the
    document defaults) is not ``font`` (default ``docx_font()``), or that has no complex-script size
    (w:szCs), each named by part, paragraph, run and its first characters. Empty when all is right."""
    font = font or docx_font()
    problems: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        styles = _Styles(package.read(_STYLE_PART) if _STYLE_PART in names else None)
        for part in sorted(n for n in names if _RUN_PARTS.match(n)):
            root = etree.fromstring(package.read(part))
            for p_index, paragraph in enumerate(root.iter(W + "p"), start=1):
                p_style = _paragraph_style(paragraph)
                runs = [r for r in paragraph.iter(W + "r") if next(r.iterancestors(W + "p"), None) is paragraph]
                for r_index, run in enumerate(runs, start=1):
                    text = "".join(t.text or "" for t in run.iter(W + "t"))
                    if not text:
                        continue
                    rpr = run.find(W + "rPr")
                    label = f"{part.removeprefix('word/')} paragraph {p_index} run {r_index} «{text[:30]}»"
                    cs = styles.resolve(rpr, p_style, "cs")
                    if cs != font:
                        problems.append(f"{label}: complex-script font {cs or 'not set'!s}, not {font}")
                    if styles.resolve(rpr, p_style, "szCs") is None:
                        problems.append(f"{label}: no complex-script size (w:szCs)")
    return problems


def docx_text(data: bytes) -> str:
    """The text of a .docx, one line per paragraph (body, then headers and footers): for tests and search."""
    lines = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = sorted((n for n in package.namelist() if _RUN_PARTS.match(n)),
                       key=lambda n: (not n.endswith("document.xml"), n))
        for part in parts:
            root = etree.fromstring(package.read(part))
            for paragraph in root.iter(W + "p"):
                texts = []
                for node in paragraph.iter(W + "t", W + "tab", W + "br"):
                    if next(node.iterancestors(W + "p"), None) is not paragraph:
                        continue
                    texts.append(node.text or "" if node.tag == W + "t" else ("\t" if node.tag == W + "tab" else "\n"))
                lines.append("".join(texts))
    return "\n".join(lines)
