"""The Thai catalogue is complete and its compiled .mo matches the .po (run `itadesk compilemessages`)."""

import re
import shutil
import subprocess
from pathlib import Path

import itadesk

PO = Path(itadesk.__file__).parent / "locale" / "th" / "LC_MESSAGES" / "django.po"


def _entries(text):
    for block in text.split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if msgid and "".join(re.findall(r'"(.*)"', msgid.group(1))):
            yield block


def _translation(block: str) -> str:
    """The msgstr (or msgstr[0]) of an entry, its continuation lines joined."""
    m = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block, re.M)
    return "".join(re.findall(r'"(.*)"', m.group(1))) if m else ""


def test_every_string_has_a_thai_translation():
    untranslated = [b for b in _entries(PO.read_text(encoding="utf-8"))
                    if not _translation(b) or "#, fuzzy" in b]
    assert not untranslated, "untranslated or fuzzy entries:\n\n" + "\n\n".join(untranslated[:10])


def test_compiled_catalogue_is_up_to_date(tmp_path):
    assert shutil.which("msgfmt"), "gettext's msgfmt is missing (scripts/ensure-system.sh installs it)"
    out = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(out), str(PO)], check=True)
    assert out.read_bytes() == PO.with_suffix(".mo").read_bytes(), "run: itadesk compilemessages -l th"


def test_ui_is_thai_by_default_and_english_on_request(client, world):
    client.force_login(world.secretariat)
    html = client.get(f"/rounds/{world.round.pk}/").content.decode()
    assert "กำหนดส่ง" in html and "ออกจากระบบ" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(f"/rounds/{world.round.pk}/").content.decode()
    assert "Deadline" in html and "Log out" in html and "31 Jan 2568 BE 17:00" in html


def test_browser_language_does_not_switch_the_ui_to_english(client, world):
    client.force_login(world.secretariat)
    html = client.get(f"/rounds/{world.round.pk}/", headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert "กำหนดส่ง" in html and "Deadline" not in html


def test_catalogue_has_every_string_of_the_source(tmp_path):
    """A string added to a template or to Python code must reach the catalogue (run
    `itadesk makemessages -l th --no-location`, then translate): extract into a copy and compare."""
    import sys

    root = Path(itadesk.__file__).parent.parent
    shutil.copytree(root / "itadesk", tmp_path / "itadesk", ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(root / "manage.py", tmp_path / "manage.py")
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "th", "--no-location"], cwd=tmp_path,
                   check=True, capture_output=True)

    def msgids(path):
        return {re.sub(r'"\n"', "", m) for m in re.findall(r'^msgid ((?:".*"\n?)+)', path.read_text(encoding="utf-8"),
                                                          re.M)}

    extracted = msgids(tmp_path / "itadesk" / "locale" / "th" / "LC_MESSAGES" / "django.po")
    missing = extracted - msgids(PO)
    assert not missing, "strings missing from the catalogue:\n" + "\n".join(sorted(missing)[:20])
