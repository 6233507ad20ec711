"""Where a Thai line may break in a PDF: at dictionary word boundaries only, never inside a word, and never
between a number and its unit or label ("พ.ศ. ๒๕๖๘", "๑๒ แห่ง", "ร้อยละ ๕๐", "๑๔.๓๐ น.").

Typst breaks Thai with its own dictionary, which splits compounds an official text keeps whole
("ปีงบ|ประมาณ", "วา|ระ"), and breaks at any space ("พ.ศ.|๒๕๖๘"). So every text value handed to a template
is prepared here (``prepare``, called by ``itadesk.documents.pdf.render`` on the whole data):

- the text is segmented with pythainlp's dictionary (``newmm``, offline) and a ``BREAK`` (U+200B ZERO WIDTH
  SPACE) is put at each word boundary between two Thai letters;
- the spaces that must not break become ``GLUE`` (U+2063 INVISIBLE SEPARATOR).

``style.typ`` then boxes every run of text between spaces and ``BREAK`` that contains a Thai character (a box
never breaks inside) and prints ``GLUE`` as a space, so the line breaker can only break at ``BREAK`` or a
real space, and neither mark reaches the PDF's text layer: ``pdftotext`` gives back the text as typed.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

BREAK = "\u200b"
GLUE = "\u2063"

THAI = re.compile(r"[\u0E00-\u0E7F]")
THAI_LETTER = re.compile(r"[\u0E01-\u0E4E]")
# Never a break before these: ๆ (repetition), ฯ (abbreviation), and the marks and following vowels
# (a dictionary token never starts with one, but a run of unknown text might).
NO_BREAK_BEFORE = set("ๆฯ\u0E30\u0E31\u0E32\u0E33\u0E34\u0E35\u0E36\u0E37\u0E38\u0E39\u0E3A"
                      "\u0E45\u0E47\u0E48\u0E49\u0E4A\u0E4B\u0E4C\u0E4D\u0E4E")
# Never a break after these: the leading vowels เ แ โ ใ ไ.
NO_BREAK_AFTER = set("เแโใไ")

DIGITS = "0-9๐-๙"
NUMBER = rf"[{DIGITS}][{DIGITS},.:/\-]*"
MONTHS = ("มกราคม กุมภาพันธ์ มีนาคม เมษายน พฤษภาคม มิถุนายน กรกฎาคม สิงหาคม กันยายน ตุลาคม พฤศจิกายน ธันวาคม "
          "ม.ค. ก.พ. มี.ค. เม.ย. พ.ค. มิ.ย. ก.ค. ส.ค. ก.ย. ต.ค. พ.ย. ธ.ค.").split()
# Words written before a number that must stay on its line: "พ.ศ. ๒๕๖๘", "ร้อยละ ๙๕", "ครั้งที่ ๑/๒๕๖๘" …
LABELS = ["พ.ศ.", "ค.ศ.", "ร้อยละ", "ครั้งที่", "ที่", "เลขที่", "ข้อ", "วาระที่", "ระเบียบวาระที่", "มาตรา", "หน้า",
          "เวลา", "จำนวน", "ว", "ฉบับที่", "ชั้น", "ห้อง", "โทร", "โทรศัพท์", "โทรสาร", "ลย", "นร", "ถนน", "หมู่ที่", "ปี",
          "ปีงบประมาณ", "วันที่", "ลงวันที่", "ภายในวันที่", "ตั้งแต่วันที่", "ถึงวันที่", *MONTHS]
# Units written after a number.
UNITS = ["แห่ง", "คน", "ราย", "ข้อ", "บาท", "สตางค์", "น.", "นาฬิกา", "วัน", "เดือน", "ปี", "ชั่วโมง", "นาที", "ครั้ง",
         "ฉบับ", "ชุด", "หน่วยงาน", "แบบ", "เรื่อง", "หน้า", "ตัวชี้วัด", "คะแนน", "%", "ร้อยละ", "ท่าน", "หลัง",
         "แผ่น", "เล่ม", "รายการ", "อำเภอ", "ตำบล", "ขั้นตอน", "ประเด็น", "องค์กร", *MONTHS]


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# A label then spaces then a number; a number then spaces then a unit (the unit followed by a non-letter, so
# "๑๒ แห่ง" but not the "ปี" of "๑๒ ปีงบประมาณ" … which is glued too: harmless).
_LABEL_SPACE = re.compile(rf"(?<![\u0E01-\u0E2E])({_alternatives(LABELS)})[ \u00a0]+(?={NUMBER})")
_NUMBER_SPACE = re.compile(rf"({NUMBER})[ \u00a0]+(?=(?:{_alternatives(UNITS)}))")


def glue(text: str) -> str:
    """``text`` with the spaces that must not break replaced by ``GLUE``."""
    text = _LABEL_SPACE.sub(lambda m: m.group(1) + GLUE, text)
    return _NUMBER_SPACE.sub(lambda m: m.group(1) + GLUE, text)


@lru_cache(maxsize=65536)
def _segment(run: str) -> str:
    """A run without spaces, with ``BREAK`` at each dictionary word boundary between two Thai letters."""
    from pythainlp.tokenize import word_tokenize

    tokens = word_tokenize(run, engine="newmm", keep_whitespace=True)
    out = [tokens[0]] if tokens else []
    for token in tokens[1:]:
        before, after = out[-1][-1], token[0]
        if (THAI_LETTER.match(before) and THAI_LETTER.match(after)
                and after not in NO_BREAK_BEFORE and before not in NO_BREAK_AFTER):
            out.append(BREAK)
        out.append(token)
    return "".join(out)


_RUN = re.compile(r"[^\s\u2063]+")


def prepare(text: str) -> str:
    """``text`` ready for a Typst template: break opportunities at Thai word boundaries only, glued numbers."""
    if not THAI.search(text):
        return text
    text = glue(text.replace(BREAK, ""))
    return _RUN.sub(lambda m: _segment(m.group(0)) if THAI_LETTER.search(m.group(0)) else m.group(0), text)


def plain(text: str) -> str:
    """The text as typed (what the PDF's text layer says): without the marks ``prepare`` added."""
    return text.replace(BREAK, "").replace(GLUE, " ")


# Keys whose values are not text to print (markup, links, file names): left alone.
_SKIP_SUFFIXES = ("svg", "url", "png", "kind", "key", "href", "path", "image")


def prepare_data(value, key: str = ""):
    """A copy of the data of a document with every text value ``prepare``d."""
    if isinstance(value, str):
        if key.endswith(_SKIP_SUFFIXES) or value.lstrip().startswith("<"):
            return value
        return prepare(value)
    if isinstance(value, dict):
        return {k: prepare_data(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [prepare_data(v, key) for v in value]
    return value
