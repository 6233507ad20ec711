"""PDF to text: PDFium (``pypdfium2``) in the process, or poppler's ``pdftotext -layout`` in a subprocess
(the reference), and the judgement of the text layer (none: a scan; garbled: fonts without a Unicode map).
See the module docstring of :mod:`.extract`. No Django."""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import threading
import time

from .config import CheckerConfig
from .text import Extracted, _tidy_thai

try:
    import pypdfium2 as pdfium
except ImportError:  # pragma: no cover - a dependency; pdftotext is the fallback
    pdfium = None

__all__ = ["pdf_to_text", "pdf_to_text_async", "pdfium_text", "pdftotext_text"]

PDFTOTEXT = "pdftotext"
MIN_PAGE_CHARS = 8  # a page with fewer non-space characters has no text layer worth the name


def _pdf_command(config: CheckerConfig) -> list[str] | None:
    exe = shutil.which(PDFTOTEXT)
    if exe is None:
        return None
    return [exe, "-layout", "-enc", "UTF-8", "-l", str(config.pdf_max_pages), "-", "-"]


_WHITESPACE = re.compile(r"\s")  # what _nonspace_chars leaves out (its definition, in the tests)
_UNREADABLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ufffd]")


def _nonspace_chars(text: str) -> int:
    """How many characters of ``text`` are not whitespace (what ``\\s`` matches is what str.split() splits
    on: str.isspace). String methods, several times faster than a pattern over Thai text."""
    return len("".join(text.split()))


def _letters_share(text: str) -> float:
    """Share of the non-space characters that are letters or digits of a real script (not private-use
    or control characters, not U+FFFD)."""
    total = _nonspace_chars(text)
    if total <= 0:
        return 0.0
    return 1 - len(_UNREADABLE.findall(text)) / total


def _pdf_result(stdout: bytes, returncode: int, stderr: bytes, config: CheckerConfig) -> Extracted:
    raw = stdout.decode("utf-8", "replace")
    pages = raw.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    with_text = sum(1 for page in pages if _nonspace_chars(page) >= MIN_PAGE_CHARS)
    text = _tidy_thai(raw.replace("\f", "\n"))[: config.max_text_chars]
    if with_text == 0:
        layer = "none"
    elif _letters_share(text) < 0.6:
        layer = "garbled"
    else:
        layer = "ok"
    result = Extracted("pdf", "PDF", text=text, main_text=text, pages=len(pages), pages_with_text=with_text,
                       text_layer=layer)
    if returncode != 0 and not text.strip():
        result.error = "pdftotext_failed"
        result.error_detail = stderr.decode("utf-8", "replace").strip()[-500:] or f"exit status {returncode}"
        result.text_layer = None
    return result


def pdf_to_text(body: bytes, config: CheckerConfig | None = None) -> Extracted:
    """A PDF's text, by ``config.pdf_engine`` (blocking; see :func:`extract_async` for the async form)."""
    config = config or CheckerConfig()
    if config.pdf_engine == "pdfium" and pdfium is not None:
        return pdfium_text(body, config)
    return pdftotext_text(body, config)


# PDFium is not thread-safe: one document at a time per process (pool workers have one thread each).
_PDFIUM_LOCK = threading.Lock()


def _pdfium_page_text(text: str) -> str:
    """What PDFium writes that pdftotext does not, as pdftotext writes it: CR LF (or CR) between lines,
    U+0002 for a hyphen at a line end, U+FFFE for a soft hyphen. String replacements, each only when
    needed (str.translate is slow on Thai text)."""
    text = text.replace("\r\n", "\n")
    if "\r" in text:
        text = text.replace("\r", "\n")
    if "\x02" in text:
        text = text.replace("\x02", "-")
    if "\ufffe" in text:
        text = text.replace("\ufffe", "")
    return text


def pdfium_text(body: bytes, config: CheckerConfig | None = None) -> Extracted:
    """A PDF's text read in-process by PDFium, page by page (at most ``config.pdf_max_pages`` pages;
    reading stops with ``pdf_timeout`` once ``config.pdf_timeout`` seconds have passed), given to the
    same text-layer judgement as pdftotext's output."""
    config = config or CheckerConfig()
    started = time.monotonic()
    pages: list[str] = []
    with _PDFIUM_LOCK:
        try:
            doc = pdfium.PdfDocument(body)
        except pdfium.PdfiumError as exc:
            return Extracted("pdf", "PDF", error="pdf_failed", error_detail=str(exc)[:500])
        try:
            for index in range(min(len(doc), config.pdf_max_pages)):
                if time.monotonic() - started > config.pdf_timeout:
                    if not pages:
                        return Extracted("pdf", "PDF", error="pdf_timeout",
                                         error_detail=f"reading the PDF took more than {config.pdf_timeout:g} s")
                    break
                page = doc[index]
                try:
                    textpage = page.get_textpage()
                    try:
                        pages.append(_pdfium_page_text(textpage.get_text_bounded()))
                    finally:
                        textpage.close()
                finally:
                    page.close()
        except pdfium.PdfiumError as exc:
            if not pages:
                return Extracted("pdf", "PDF", error="pdf_failed", error_detail=str(exc)[:500])
        finally:
            doc.close()
    raw = "".join(page + "\n\f" for page in pages)
    return _pdf_result(raw.encode("utf-8", "surrogatepass"), 0, b"", config)


def pdftotext_text(body: bytes, config: CheckerConfig | None = None) -> Extracted:
    """A PDF's text with poppler's ``pdftotext -layout`` in a subprocess (blocking)."""
    config = config or CheckerConfig()
    cmd = _pdf_command(config)
    if cmd is None:
        return Extracted("pdf", "PDF", error="pdftotext_missing", error_detail="poppler-utils is not installed")
    try:
        proc = subprocess.run(cmd, input=body, capture_output=True, timeout=config.pdf_timeout, check=False)
    except subprocess.TimeoutExpired:
        return Extracted("pdf", "PDF", error="pdftotext_timeout",
                         error_detail=f"pdftotext took more than {config.pdf_timeout:g} s")
    return _pdf_result(proc.stdout, proc.returncode, proc.stderr, config)


async def pdf_to_text_async(body: bytes, config: CheckerConfig | None = None) -> Extracted:
    """As :func:`pdf_to_text` without blocking the event loop (PDFium in a thread, pdftotext as an
    asynchronous subprocess)."""
    config = config or CheckerConfig()
    if config.pdf_engine == "pdfium" and pdfium is not None:
        return await asyncio.to_thread(pdfium_text, body, config)
    cmd = _pdf_command(config)
    if cmd is None:
        return Extracted("pdf", "PDF", error="pdftotext_missing", error_detail="poppler-utils is not installed")
    # close_fds=False lets subprocess use posix_spawn (much cheaper than fork for a big process); our
    # file descriptors are non-inheritable (PEP 446), so the child still gets none of them.
    proc = await asyncio.create_subprocess_exec(*cmd, stdin=asyncio.subprocess.PIPE,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
                                                close_fds=False)
    try:
        async with asyncio.timeout(config.pdf_timeout):
            stdout, stderr = await proc.communicate(body)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        return Extracted("pdf", "PDF", error="pdftotext_timeout",
                         error_detail=f"pdftotext took more than {config.pdf_timeout:g} s")
    except BaseException:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        raise
    return _pdf_result(stdout, proc.returncode or 0, stderr, config)
