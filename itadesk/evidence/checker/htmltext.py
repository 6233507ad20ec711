"""HTML to text: the visible text, the content part, the title and the links of a page (see the module
docstring of :mod:`.extract`). Lexbor (``selectolax``) builds the tree as a browser does; the standard
library's ``html.parser`` version is the reference it is tested against. No Django."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin

from .text import _SPACES, _SPECIAL, Link, _tidy_plain, _tidy_thai, normalise_thai

try:
    from selectolax.lexbor import LexborHTMLParser
except ImportError:  # pragma: no cover - a dependency; html.parser is the fallback
    LexborHTMLParser = None

__all__ = ["html_to_text", "html_to_text_stdlib"]

IMAGE_CONTEXT_PARTS = 200   # text pieces either side of a content image looked at for its context
IMAGE_CONTEXT_BEFORE = 120  # characters of context before the image
IMAGE_CONTEXT_AFTER = 200   # and after it

_SKIP = {"script", "style", "noscript", "template", "svg", "math", "select", "option", "datalist", "head",
         "textarea"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
         "track", "wbr", "frame"}
_BLOCK = {"address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "fieldset",
          "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
          "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "thead", "tfoot", "tr", "ul", "title"}
_CELL = {"td", "th"}
_HEAD_CONTENT = {"meta", "link", "script", "style", "title", "base", "noscript", "template", "object"}
_BOILER_CLASS = re.compile(r"(?:^|[\s_\-])(?:nav|navbar|navigation|menu|menubar|mainmenu|topmenu|sidebar|"
                           r"breadcrumbs?|footer|site-footer|cookie)(?:$|[\s_\-])", re.IGNORECASE)
_LINK_ATTRS = {"a": "href", "area": "href", "iframe": "src", "frame": "src", "embed": "src", "object": "data",
               "img": "src"}


# Lazy-loading scripts keep an image's address in one of these until it scrolls into view; ``src`` is then
# missing or a ``data:`` placeholder (lazysizes and most CMS plug-ins: data-src; jQuery lazyload: data-original).
_LAZY_SRC = ("data-src", "data-lazy-src", "data-original")


def _image_source(attrs) -> str | None:
    """The address of an ``<img>``: its ``src``, or where a lazy-loading script keeps it."""
    src = attrs.get("src")
    bare = (src or "").strip()
    if not bare or bare[:5].lower() == "data:":
        for name in _LAZY_SRC:
            lazy = (attrs.get(name) or "").strip()
            if lazy:
                return lazy
    return src


def _origin(url: str) -> str:
    m = re.match(r"^([a-zA-Z][a-zA-Z0-9+.\-]*://[^/?#]+)", url)
    return m.group(1) if m else ""


# Inline formatting tags change no text and no structure: removing them before html.parser (which
# spends most of its time per tag) makes Thai CMS pages, full of <span style=…> and <font>, faster.
_INLINE_TAGS = re.compile(r"</?(?:span|font|b|strong|i|em|u|small|big|sup|sub|mark|abbr|s|strike|tt|bdi|bdo|"
                          r"wbr|nobr|center|o:p)(?:\s[^<>]*)?/?>", re.IGNORECASE)


_INLINE_SET = frozenset({"span", "font", "b", "strong", "i", "em", "u", "small", "big", "sup", "sub", "mark", "abbr",
                         "s", "strike", "tt", "bdi", "bdo", "wbr", "nobr", "center", "o:p"})


class _TextParser(HTMLParser):
    def __init__(self, base_url: str | None):
        super().__init__(convert_charrefs=True)
        self.base_url = base_url or ""
        self._origin = _origin(self.base_url)
        self.stack: list[tuple[str, bool, bool, bool]] = []  # tag, skip, boiler, main
        self.skip = self.boiler = self.main = 0
        self.in_main_or_article = 0
        self.in_title = False
        self.title_parts: list[str] = []
        self.all_parts: list[str] = []
        self.content_parts: list[str] = []
        self.main_parts: list[str] = []
        self.links: list[Link] = []
        self.image_marks: list[tuple[int, int]] = []  # (index in links, index in content_parts) of content images
        self.link_text: list[str] | None = None
        self.link_href: str | None = None
        self.link_boiler = False
        self.has_main = False
        self.main_start: int | None = None  # where in all_parts the first main part is (the Lexbor walk says)

    def _join(self, target: str) -> str:
        """urljoin, with the two common cases done cheaply (absolute URLs and /absolute/paths)."""
        if target.startswith(("http://", "https://")):
            return target
        if target.startswith("/") and not target.startswith("//") and self._origin:
            return self._origin + target
        return urljoin(self.base_url, target)

    # text sinks
    def _emit(self, text: str) -> None:
        if self.skip:
            return
        self.all_parts.append(text)
        if not self.boiler:
            self.content_parts.append(text)
        if self.main:
            self.main_parts.append(text)

    def handle_starttag(self, tag, attrs):
        tag = tag.lower()
        attr = {k.lower(): (v or "") for k, v in attrs}
        if self.stack and self.stack[-1][0] == "head" and tag not in _HEAD_CONTENT:
            self.handle_endtag("head")  # a page without </head>: the body has begun
        if tag == "title" and not self.skip_body_only():
            self.in_title = True
            return
        if tag == "base" and attr.get("href"):
            self.base_url = urljoin(self.base_url, attr["href"].strip())
            self._origin = _origin(self.base_url)
        raw = (_image_source(attr) if tag == "img" else attr.get(_LINK_ATTRS[tag])) if tag in _LINK_ATTRS else None
        if raw:
            target = raw.strip()
            if not target.lower().startswith(("javascript:", "mailto:", "tel:", "#", "data:")):
                url = self._join(target)
                if tag == "a":
                    self.link_href, self.link_text, self.link_boiler = url, [], bool(self.boiler)
                else:
                    self.links.append(Link(url, attr.get("title", "") or attr.get("alt", "").strip(), tag,
                                           bool(self.boiler)))
                    if tag == "img" and not self.boiler and not self.skip:
                        self.image_marks.append((len(self.links) - 1, len(self.content_parts)))
        if tag == "table":
            self.links.append(Link("", "", "table", bool(self.boiler)))
        if tag == "img" and attr.get("alt", "").strip():
            self._emit(" " + attr["alt"].strip() + " ")
        if tag in _BLOCK:
            self._emit("\n")
        elif tag in _CELL:
            self._emit(" \t ")
        if tag in _VOID:
            return
        skip = tag in _SKIP
        classes = f"{attr.get('class', '')} {attr.get('id', '')}".strip()
        role = attr.get("role", "").lower()
        is_main = tag in ("main", "article") or role == "main"
        boiler = (tag in ("nav", "aside") or role in ("navigation", "banner", "contentinfo")
                  or (tag in ("header", "footer") and not self.main)
                  or (bool(classes) and not is_main and bool(_BOILER_CLASS.search(classes))))
        if is_main:
            self.has_main = True
        self.stack.append((tag, skip, boiler, is_main))
        self.skip += skip
        self.boiler += boiler
        self.main += is_main

    def skip_body_only(self) -> bool:
        # <title> inside <svg> is not the page title
        return any(t in ("svg", "math") for t, *_ in self.stack)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag.lower() not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        tag = tag.lower()
        if tag == "title" and self.in_title:
            self.in_title = False
            return
        if tag == "a" and self.link_href is not None:
            text = _SPACES.sub(" ", "".join(self.link_text or [])).strip()
            self.links.append(Link(self.link_href, text, "a", self.link_boiler))
            self.link_href, self.link_text = None, None
        if tag in _BLOCK or tag in _CELL:
            self._emit("\n" if tag in _BLOCK else " \t ")
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                for _t, skip, boiler, main in self.stack[i:]:
                    self.skip -= skip
                    self.boiler -= boiler
                    self.main -= main
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self.in_title:
            self.title_parts.append(data)
            return
        if self.link_text is not None and not self.skip:
            self.link_text.append(data)
        self._emit(data)


def html_to_text_stdlib(html: str, base_url: str | None = None) -> tuple[str, str, str, list[Link]]:
    """As :func:`html_to_text`, with the standard library's ``html.parser`` (about 5 times slower; kept as
    the reference the Lexbor version is tested against, and as the fallback without selectolax)."""
    parser = _TextParser(base_url)
    try:
        parser.feed(_INLINE_TAGS.sub("", html))
        parser.close()
    except (AssertionError, ValueError):  # html.parser gives up on some broken markup: keep what it read
        pass
    return _finish(parser)


def _tidy_with_main(parser: _TextParser) -> tuple[str | None, str | None]:
    """``(_tidy_thai(all text), _tidy_thai(main text))`` with one pass over the text, when the main parts are one
    run of the parts that starts and ends a line (a page with one <main> or <article>, which is a block):
    tidying works line by line (NFC never joins across a line break), so the main text is then the tidied
    lines of that run. ``(None, None)`` when it cannot tell (several runs, or a character that tidying handles
    beyond its line)."""
    parts, main_parts, at = parser.all_parts, parser.main_parts, parser.main_start
    if at is None or parts[at:at + len(main_parts)] != main_parts:
        return None, None
    before, main, after = "".join(parts[:at]), "".join(main_parts), "".join(parts[at + len(main_parts):])
    if (before and before[-1] != "\n") or (after and main and main[-1] != "\n"):
        return None, None
    if any(_SPECIAL.search(piece) is not None for piece in (before, main, after)):
        return None, None
    before, main, after = _tidy_plain(before), _tidy_plain(main), _tidy_plain(after)
    return "\n".join(piece for piece in (before, main, after) if piece), main


def _finish(parser: _TextParser) -> tuple[str, str, str, list[Link]]:
    if parser.link_href is not None:
        parser.links.append(Link(parser.link_href, _SPACES.sub(" ", "".join(parser.link_text or [])).strip(), "a",
                                 parser.link_boiler))
    text = main = None
    if parser.has_main:
        text, main = _tidy_with_main(parser)
    if text is None:
        text = _tidy_thai("".join(parser.all_parts))
        main = _tidy_thai("".join(parser.main_parts)) if parser.has_main else ""
    if not main:
        main = _tidy_thai("".join(parser.content_parts))
    if not main and text:
        main = text
    title = _SPACES.sub(" ", normalise_thai("".join(parser.title_parts))).strip()
    parts = parser.content_parts
    for link_index, at in parser.image_marks:
        # tidied before being cut, so that the context is the same whichever parser read the page
        before = _tidy_thai("".join(parts[max(0, at - IMAGE_CONTEXT_PARTS):at]))[-IMAGE_CONTEXT_BEFORE:]
        after = _tidy_thai("".join(parts[at:at + IMAGE_CONTEXT_PARTS]))[:IMAGE_CONTEXT_AFTER]
        lk = parser.links[link_index]
        parser.links[link_index] = Link(lk.url, lk.text, lk.tag, lk.boiler, f"{before}\n{after}".strip())
    return text, main, title, parser.links


def _tag_kinds() -> dict[str, tuple]:
    """Per tag, what the walk needs to know: (text written at its start and end: "\\n" for a block, " \\t "
    for a cell, else None; void; skipped; the attribute holding its link; inline formatting; main;
    boilerplate by itself (nav, aside); boilerplate outside main (header, footer))."""
    kinds = {}
    for tag in _BLOCK | _CELL | _VOID | _SKIP | set(_LINK_ATTRS) | _INLINE_SET | {"main", "article", "header", "footer"}:
        kinds[tag] = ("\n" if tag in _BLOCK else " \t " if tag in _CELL else None, tag in _VOID, tag in _SKIP,
                      _LINK_ATTRS.get(tag), tag in _INLINE_SET, tag in ("main", "article"), tag in ("nav", "aside"),
                      tag in ("header", "footer"))
    return kinds


_TAG_KINDS = _tag_kinds()
_OTHER_TAG = (None, False, False, None, False, False, False, False)
_NOT_LINKS = ("javascript:", "mailto:", "tel:", "#", "data:")
_BOILER_ROLES = ("navigation", "banner", "contentinfo")


# What the walk knows of a node, by Lexbor's tag id: (what it is: _ELEMENT, _TEXT or _IGNORED; then, for an
# element, its tag and the _TAG_KINDS entry). Filled as tags are met, for the names of _STANDARD_TAGS only: Lexbor
# gives each standard tag one fixed id, while a tag it does not know gets an id of its own in each document.
_ELEMENT, _TEXT, _IGNORED = 0, 1, 2
_BY_TAG_ID: dict[int, tuple] = {}
_STANDARD_TAGS = (frozenset(_TAG_KINDS) | {
    "-text", "-comment", "html", "body", "label", "button", "input", "canvas", "video", "audio", "picture", "time",
    "code", "cite", "q", "kbd", "var", "samp", "data", "legend", "details", "summary", "dialog", "menu", "ins", "del",
    "colgroup", "small", "optgroup", "meter", "progress", "output", "iframe", "map"}) - {"o:p"}


def _node_kind(tag: str | None, tag_id: int) -> tuple:
    """What the walk knows of a node whose tag is ``tag`` (see _BY_TAG_ID), remembered for a standard tag."""
    if tag == "-text":
        kind: tuple = (_TEXT,)
    elif not tag or tag[0] in "-!#_":  # comments, doctype
        kind = (_IGNORED,)
    else:
        kind = (_ELEMENT, tag, *_TAG_KINDS.get(tag, _OTHER_TAG))
    if tag in _STANDARD_TAGS:
        _BY_TAG_ID[tag_id] = kind
    return kind


def _walk_lexbor(state: _TextParser, root) -> None:
    """Reads a Lexbor tree into ``state`` by the rules of :class:`_TextParser` (its start-tag, text and
    end-tag handlers, inlined here for speed: same flags, same text sinks, same links; what a node is
    looked up once by its tag id in ``_BY_TAG_ID``). Iterative: broken pages can nest thousands of unclosed
    elements. An element whose only child is a text node (a link, a paragraph, a cell) is read at once, its
    start, its text and its end, without a trip through the stack."""
    all_parts, content_parts, main_parts = state.all_parts, state.content_parts, state.main_parts
    add_all, add_content, add_main = all_parts.append, content_parts.append, main_parts.append
    links, title_parts, image_marks = state.links, state.title_parts, state.image_marks
    add_link = links.append
    skip = boiler = main = svg = 0
    link_href = link_text = None
    link_boiler = has_main = False
    main_start = None
    base_url, origin = state.base_url, state._origin
    spaces = _SPACES.sub
    by_id, node_kind = _BY_TAG_ID, _node_kind
    boiler_class = _BOILER_CLASS.search
    stack: list = [root]
    pop, push = stack.pop, stack.append
    while stack:
        node = pop()
        if node.__class__ is tuple:  # the end of an element: (tag, text at its end, skip, boiler, main)
            tag, text, e_skip, e_boiler, e_main = node
            if link_href is not None and tag == "a":
                add_link(Link(link_href, spaces(" ", "".join(link_text)).strip(), "a", link_boiler))
                link_href = link_text = None
            if text is not None and not skip:
                add_all(text)
                if not boiler:
                    add_content(text)
                if main:
                    add_main(text)
            skip -= e_skip
            boiler -= e_boiler
            main -= e_main
            if tag == "svg" or tag == "math":
                svg -= 1
            continue
        tag_id = node.tag_id
        kind = by_id.get(tag_id) or node_kind(node.tag, tag_id)
        what = kind[0]
        if what:
            if what == _TEXT and not skip:
                data = node.text_content
                if data:
                    if link_text is not None:
                        link_text.append(data)
                    add_all(data)
                    if not boiler:
                        add_content(data)
                    if main:
                        add_main(data)
            continue
        _, tag, text, void, e_skip, link_name, inline, main_tag, boiler_tag, header_footer = kind
        if inline:  # formatting only (what _INLINE_TAGS strips for html.parser): its children
            child = node.last_child
            while child is not None:
                push(child)
                child = child.prev
            continue
        if tag == "title" and not svg:
            title_parts.append(node.text(deep=True))
            continue
        if tag == "table":
            add_link(Link("", "", "table", bool(boiler)))
        attrs = node.attributes if (link_name is not None or not void or tag == "base") else None
        if attrs:
            if tag == "base" and attrs.get("href"):
                base_url = urljoin(base_url, attrs["href"].strip())
                origin = _origin(base_url)
            raw = (_image_source(attrs) if tag == "img" else attrs.get(link_name)) if link_name is not None else None
            if raw:
                target = raw.strip()
                if not target.lower().startswith(_NOT_LINKS):
                    if target.startswith(("http://", "https://")):
                        url = target
                    elif target.startswith("/") and not target.startswith("//") and origin:
                        url = origin + target
                    else:
                        url = urljoin(base_url, target)
                    if tag == "a":
                        link_href, link_text, link_boiler = url, [], bool(boiler)
                    else:
                        add_link(Link(url, attrs.get("title") or (attrs.get("alt") or "").strip(), tag,
                                      bool(boiler)))
                        if tag == "img" and not boiler and not skip:
                            image_marks.append((len(links) - 1, len(content_parts)))
            if tag == "img" and not skip:
                alt = (attrs.get("alt") or "").strip()
                if alt:
                    alt = " " + alt + " "
                    add_all(alt)
                    if not boiler:
                        add_content(alt)
                    if main:
                        add_main(alt)
        if text is not None and not skip:
            add_all(text)
            if not boiler:
                add_content(text)
            if main:
                add_main(text)
        if void:
            continue
        if attrs:
            name, ident, role = attrs.get("class"), attrs.get("id"), attrs.get("role")
            classes = f"{name or ''} {ident or ''}".strip() if name or ident else ""
            role = role.lower() if role else ""
            e_main = main_tag or role == "main"
            e_boiler = (boiler_tag or role in _BOILER_ROLES or (header_footer and not main)
                        or (bool(classes) and not e_main and bool(boiler_class(classes))))
        else:
            e_main, e_boiler = main_tag, boiler_tag or (header_footer and not main)
        if e_main:
            has_main = True
            if main_start is None:
                main_start = len(all_parts)
        child = node.first_child
        if child is None or child.next is None and (
                by_id.get(child.tag_id) or node_kind(child.tag, child.tag_id))[0] == _TEXT:
            # Read at once: no children, or one text node. (An end read here needs no svg count: nothing inside.)
            in_skip, in_boiler, in_main = skip + e_skip, boiler + e_boiler, main + e_main
            if child is not None and not in_skip:
                data = child.text_content
                if data:
                    if link_text is not None:
                        link_text.append(data)
                    add_all(data)
                    if not in_boiler:
                        add_content(data)
                    if in_main:
                        add_main(data)
            if link_href is not None and tag == "a":
                add_link(Link(link_href, spaces(" ", "".join(link_text)).strip(), "a", link_boiler))
                link_href = link_text = None
            if text is not None and not in_skip:
                add_all(text)
                if not in_boiler:
                    add_content(text)
                if in_main:
                    add_main(text)
            continue
        if tag == "svg" or tag == "math":
            svg += 1
        skip += e_skip
        boiler += e_boiler
        main += e_main
        push((tag, text, e_skip, e_boiler, e_main))
        children = [child]
        child = child.next
        while child is not None:
            children.append(child)
            child = child.next
        children.reverse()
        stack.extend(children)
    state.link_href, state.link_text, state.link_boiler = link_href, link_text, link_boiler
    state.has_main = has_main
    state.main_start = main_start


def html_to_text(html: str, base_url: str | None = None) -> tuple[str, str, str, list[Link]]:
    """``(text, main_text, title, links)`` of an HTML document (see the module docstring), parsed by
    Lexbor (selectolax) the way a browser parses it."""
    if LexborHTMLParser is None:  # pragma: no cover - selectolax is a dependency
        return html_to_text_stdlib(html, base_url)
    state = _TextParser(base_url)
    tree = LexborHTMLParser(html)
    root = tree.root
    if root is not None:
        _walk_lexbor(state, root)
    return _finish(state)
