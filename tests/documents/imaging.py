"""Reading QR codes back in tests: a small PNG reader (zlib + numpy, enough for segno's and most
encoders' non-interlaced PNGs), PDF pages rendered with poppler's ``pdftoppm`` as greyscale PGM, and
``zxingcpp`` to decode; the Thai text layer with ``pdftotext -raw`` (content order)."""

from __future__ import annotations

import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import numpy as np
import zxingcpp

_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def _unfilter(raw: bytes, height: int, stride: int, bpp: int) -> np.ndarray:
    out = np.zeros((height, stride), dtype=np.uint8)
    prev = np.zeros(stride, dtype=np.int32)
    pos = 0
    for y in range(height):
        ftype = raw[pos]
        line = np.frombuffer(raw, dtype=np.uint8, count=stride, offset=pos + 1).astype(np.int32)
        pos += stride + 1
        cur = np.zeros(stride, dtype=np.int32)
        for x in range(stride):
            a = cur[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ftype == 0:
                pred = 0
            elif ftype == 1:
                pred = a
            elif ftype == 2:
                pred = b
            elif ftype == 3:
                pred = (a + b) // 2
            else:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            cur[x] = (line[x] + pred) & 0xFF
        out[y] = cur
        prev = cur
    return out


def read_png(data: bytes) -> np.ndarray:
    """A greyscale (or RGB) uint8 array of a non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, palette = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, color, _c, _f, interlace = struct.unpack(">IIBBBBB", body)
            assert interlace == 0, "interlaced PNG"
        elif kind == b"PLTE":
            palette = np.frombuffer(body, dtype=np.uint8).reshape(-1, 3)
        elif kind == b"IDAT":
            idat += body
    channels = _CHANNELS[color]
    stride = (width * channels * depth + 7) // 8
    rows = _unfilter(zlib.decompress(idat), height, stride, max(1, channels * depth // 8))
    if depth < 8:
        bits = np.unpackbits(rows, axis=1)[:, :width * depth].reshape(height, width, depth)
        values = np.zeros((height, width), dtype=np.int32)
        for i in range(depth):
            values = (values << 1) | bits[:, :, i]
        if color == 0:
            return (values * (255 // ((1 << depth) - 1))).astype(np.uint8)
        return palette[values].astype(np.uint8)
    pixels = rows.reshape(height, width, channels) if channels > 1 else rows.reshape(height, width)
    if color == 3:
        return palette[pixels].astype(np.uint8)
    return pixels[:, :, :3] if channels == 4 else (pixels[:, :, 0] if channels == 2 else pixels)


def decode(image: np.ndarray) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(np.ascontiguousarray(image))
            if r.format == zxingcpp.BarcodeFormat.QRCode]


def read_pgm(path: Path) -> np.ndarray:
    data = path.read_bytes()
    header = data.split(maxsplit=4)
    assert header[0] == b"P5"
    width, height, maxval = int(header[1]), int(header[2]), int(header[3])
    assert maxval == 255
    return np.frombuffer(header[4], dtype=np.uint8, count=width * height).reshape(height, width)


def pdf_pages(pdf: bytes, *, dpi: int = 100) -> list[np.ndarray]:
    """Every page of a PDF as a greyscale array (poppler's pdftoppm)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), str(src), str(Path(tmp) / "page")], check=True)
        return [read_pgm(p) for p in sorted(Path(tmp).glob("page-*.pgm"))]


def pdf_text(pdf: bytes, *, raw: bool = True) -> str:
    """The text layer (``-raw``: in content order; poppler's layout mode puts a space after a Thai
    consonant whose tone mark is shifted left, e.g. "เปิ ด", though the PDF holds "เปิด")."""
    args = ["pdftotext", "-enc", "UTF-8", *(["-raw"] if raw else []), "-", "-"]
    return subprocess.run(args, input=pdf, capture_output=True, check=True).stdout.decode("utf-8")


def pdf_fonts(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        return subprocess.run(["pdffonts", f.name], capture_output=True, check=True, text=True).stdout


def squeeze(text: str) -> str:
    """Text without whitespace. poppler (even with ``-raw``) puts a space inside some Thai clusters
    whose tone mark the font shifts left (ป่า → "ป่ า"; ป ฝ ฟ with an upper mark); the characters and
    their order are exact, so compare with whitespace removed where such words may appear."""
    return "".join(text.split())
