"""Add precomposed Thai clusters to the vendored Laksaman fonts, so that Typst's PDFs copy exactly.

Why: Laksaman places the upper vowels and tone marks of ป ฝ ฟ (whose stem rises on the right) and
the lower vowels of ฎ ฏ by GPOS offsets (the mark is moved left, or down). Typst's PDF writer draws
such a mark with a text-position adjustment and wraps the cluster in an ActualText span that ends
where the moved mark ends: poppler's pdftotext then sees a gap inside the word and prints a space
("ปั ญหา", "ปี งบประมาณ"), and a downward offset starts a new text chunk whose glyph carries the
cluster's text a second time (duplicated text). The visual result is right; the text layer is not.

Fix at the font: every cluster whose shaping needs such an offset gets one precomposed glyph (a
TrueType composite of the same glyphs at the same offsets, so it looks exactly as before) and a GSUB
ligature that replaces the shaped glyph sequence with it, run after all of the font's own
substitutions. A ligature is one glyph for one cluster: no offset, no gap, no second chunk, and the
PDF maps it to the cluster's characters.

Build tool only (not needed at run time): needs ``fonttools`` and ``uharfbuzz``::

    python scripts/thai-font-clusters.py SOURCE_DIR itadesk/documents/fonts

SOURCE_DIR holds the four unmodified Laksaman TTFs (Debian ``fonts-tlwg-laksaman-ttf``:
/usr/share/fonts/truetype/tlwg/). The test ``tests/documents/test_thai_text.py`` checks the result.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

FILES = ("Laksaman.ttf", "Laksaman-Bold.ttf", "Laksaman-Italic.ttf", "Laksaman-BoldItalic.ttf")

BASES = [chr(c) for c in range(0x0E01, 0x0E2F)]  # ก … ฮ, with ฤ ฦ
BELOW = ["", "\u0E38", "\u0E39", "\u0E3A"]
ABOVE = ["", "\u0E31", "\u0E34", "\u0E35", "\u0E36", "\u0E37", "\u0E47", "\u0E4D"]
TONES = ["", "\u0E48", "\u0E49", "\u0E4A", "\u0E4B", "\u0E4C", "\u0E4D"]

# A mark moved left by more than this (font units of 1000/em) makes pdftotext see a word break
# (poppler breaks words at 0.1 em); a safe margin below that.
LEFT_LIMIT = -40


def shaped(font, text: str):
    import uharfbuzz as hb

    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(font, buf, {})
    return list(zip(buf.glyph_infos, buf.glyph_positions, strict=True))


def needs_ligature(glyphs) -> bool:
    return len(glyphs) > 1 and any(p.x_offset < LEFT_LIMIT or p.y_offset != 0 for _, p in glyphs)


def build(source: Path, target: Path) -> int:
    import uharfbuzz as hb
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables import otTables
    from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent

    font = TTFont(str(source))
    order = font.getGlyphOrder()
    blob = hb.Blob.from_file_path(str(source))
    hbfont = hb.Font(hb.Face(blob))

    clusters: dict[tuple[str, ...], list[tuple[str, int, int]]] = {}
    for base, below, above, tone in itertools.product(BASES, BELOW, ABOVE, TONES):
        if above == tone == "\u0E4D" or (above == "" and tone == "\u0E4D"):
            continue
        glyphs = shaped(hbfont, base + below + above + tone)
        if len({info.cluster for info, _ in glyphs}) != 1 or not needs_ligature(glyphs):
            continue
        names = tuple(order[info.codepoint] for info, _ in glyphs)
        if names in clusters:
            continue
        x = 0
        parts = []
        for info, pos in glyphs:
            parts.append((order[info.codepoint], x + pos.x_offset, pos.y_offset))
            x += pos.x_advance
        clusters[names] = parts

    glyf, hmtx = font["glyf"], font["hmtx"]
    new_order = list(order)
    ligatures: dict[str, list] = {}
    for i, (names, parts) in enumerate(sorted(clusters.items())):
        name = f"thai.cluster{i:03d}"
        glyph = Glyph()
        glyph.numberOfContours = -1
        glyph.components = []
        for part, dx, dy in parts:
            comp = GlyphComponent()
            comp.glyphName, comp.x, comp.y, comp.flags = part, dx, dy, 0x4  # ROUND_XY_TO_GRID
            glyph.components.append(comp)
        glyf.glyphs[name] = glyph
        new_order.append(name)
        advance = sum(hmtx[p][0] for p in names)
        hmtx.metrics[name] = (advance, 0)
        lig = otTables.Ligature()
        lig.LigGlyph, lig.Component, lig.CompCount = name, list(names[1:]), len(names)
        ligatures.setdefault(names[0], []).append(lig)
    font.setGlyphOrder(new_order)
    glyf.glyphOrder = new_order
    for name in (n for n in new_order if n.startswith("thai.cluster")):
        glyph = glyf[name]
        glyph.recalcBounds(glyf)
        hmtx.metrics[name] = (hmtx.metrics[name][0], glyph.xMin)
    if "post" in font and hasattr(font["post"], "extraNames"):
        font["post"].extraNames = []  # rebuilt from the glyph order on save

    # The ligature lookup, last in the lookup list (so it sees every earlier substitution), in every ccmp.
    gsub = font["GSUB"].table
    subtable = otTables.LigatureSubst()
    subtable.ligatures = {first: sorted(ligs, key=lambda lig: -lig.CompCount) for first, ligs in ligatures.items()}
    lookup = otTables.Lookup()
    lookup.LookupType, lookup.LookupFlag, lookup.SubTable = 4, 0, [subtable]
    lookup.SubTableCount = 1
    gsub.LookupList.Lookup.append(lookup)
    gsub.LookupList.LookupCount = len(gsub.LookupList.Lookup)
    index = len(gsub.LookupList.Lookup) - 1
    for record in gsub.FeatureList.FeatureRecord:
        if record.FeatureTag == "ccmp":
            record.Feature.LookupListIndex.append(index)
            record.Feature.LookupCount = len(record.Feature.LookupListIndex)

    gdef = font["GDEF"].table
    if gdef.GlyphClassDef is not None:
        for name in (n for n in new_order if n.startswith("thai.cluster")):
            gdef.GlyphClassDef.classDefs[name] = 1  # base glyph

    font.recalcTimestamp = False  # the same files from the same sources
    font.save(str(target))
    return len(clusters)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__)
        return 2
    source, target = Path(argv[1]), Path(argv[2])
    for name in FILES:
        count = build(source / name, target / name)
        print(f"{name}: {count} precomposed clusters")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
