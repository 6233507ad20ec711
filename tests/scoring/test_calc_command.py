"""``itadesk score calc`` and the calculator helpers (itadesk/scoring/calc.py)."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from itadesk.methodology.management.commands import score as score_command
from itadesk.scoring import calc, engine
from tests.scoring import samples

INDICATORS = ["1=93.55", "2=87.72", "3=99.45", "4=90", "5=88", "6=91", "7=89", "8=94.39", "9=80", "10=65.56"]


@pytest.fixture
def nacc_file(tmp_path):
    path = tmp_path / "sample-nacc.yaml"
    path.write_text(samples.NACC_YAML, encoding="utf-8")
    return path


def run(*args) -> str:
    out = StringIO()
    call_command("score", "calc", *args, stdout=out)
    return out.getvalue()


def test_calc_from_indicators(nacc_file):
    out = run("--framework", str(nacc_file), *INDICATORS)
    # IIT = (93.55 + 87.72 + 99.45 + 90 + 88) / 5 = 91.744 → 91.74, × 0.3 = 27.5232 → 27.52;
    # EIT = (91 + 89 + 94.39) / 3 = 91.4633… → 27.4390 → 27.44; OIT = (80 + 65.56) / 2 = 72.78 → 29.112 → 29.11.
    lines = out.splitlines()
    assert lines[0] == "เกณฑ์ / framework: sample-nacc v1"
    assert lines[1].split() == ["IIT", "91.74", "×", "30%", "=", "27.52"]
    assert lines[2].split() == ["EIT", "91.46", "×", "30%", "=", "27.44"]
    assert lines[3].split() == ["OIT", "72.78", "×", "40%", "=", "29.11"]
    assert "คะแนนรวม  84.07" in out
    assert "ระดับผลการประเมิน  ต้องปรับปรุง" in out
    assert "ระดับ (letter)  B" in out
    assert "ผลการประเมิน  ไม่ผ่าน (เกณฑ์ผ่าน 85.00)" in out


def test_calc_from_instruments_json(nacc_file):
    out = run("--framework", str(nacc_file), "--json", "iit=89.95", "EIT=89.27", "OIT=69.23")
    data = json.loads(out)
    assert data["framework"] == "sample-nacc" and data["input"] == ["iit=89.95", "EIT=89.27", "OIT=69.23"]
    assert data["total"] == 81.45
    assert data["components"] == {"IIT": 26.98, "EIT": 26.78, "OIT": 27.69}
    assert data["level"]["code"] == "improve" and data["level"]["label_th"] == "ต้องปรับปรุง"
    assert data["passed"] is False


def test_thai_digits(nacc_file):
    thai = [arg.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")) for arg in INDICATORS]
    assert run("--framework", str(nacc_file), *thai) == run("--framework", str(nacc_file), *INDICATORS)


def test_passing_agency(nacc_file):
    out = run("--framework", str(nacc_file), "IIT=96", "EIT=94", "OIT=99")
    assert "คะแนนรวม  96.60" in out and "ผ่านดี" in out and "ผลการประเมิน  ผ่าน " in out


def test_framework_by_id(nacc_file, monkeypatch, db):
    monkeypatch.setattr(score_command, "FRAMEWORKS_DIR", nacc_file.parent)
    assert "81.45" in run("--framework", "sample-nacc", "IIT=89.95", "EIT=89.27", "OIT=69.23")
    with pytest.raises(CommandError, match=r"no framework 'nacc-ita-2599' \(installed: sample-nacc\)"):
        run("--framework", "nacc-ita-2599", "IIT=1")


def test_framework_installed_in_the_database(nacc_file, monkeypatch, db):
    """An id is looked up among the installed framework versions first (id or id@version)."""
    from itadesk.methodology import services

    monkeypatch.setattr(score_command, "FRAMEWORKS_DIR", nacc_file.parent / "nowhere")
    services.install_framework(actor=None, text=nacc_file.read_text(encoding="utf-8"))
    assert "81.45" in run("--framework", "sample-nacc", "IIT=89.95", "EIT=89.27", "OIT=69.23")
    assert "81.45" in run("--framework", "sample-nacc@1", "IIT=89.95", "EIT=89.27", "OIT=69.23")
    with pytest.raises(CommandError, match="no framework 'sample-nacc@2'"):
        run("--framework", "sample-nacc@2", "IIT=1")


@pytest.mark.parametrize(("args", "message"), [
    (["1=93,55"], r"'1=93,55': use a dot as the decimal separator"),
    (["1=abc"], r"'1=abc': 'abc' is not a number"),
    (["1=101"], r"'1=101': a score must be between 0 and 100"),
    (["1=-5"], r"'1=-5': a score must be between 0 and 100"),
    (["1=1e2"], r"'1=1e2': '1e2' is not a number"),
    (["93.55"], r"'93.55': expected CODE=SCORE"),
    (["=93.55"], r"'=93.55': no code before '='"),
    (["1="], r"'1=': no score after '='"),
    (["1=90", "1=91"], r"'1=91': 1 is given twice"),
    (["11=90"], r"no code 11 in framework sample-nacc"),
    (["1=90", "IIT=90"], "not a mix"),
    (INDICATORS[:7], r"missing indicators 8, 9, 10 \(all 10 are needed\)"),
    (["IIT=90", "OIT=80"], r"missing EIT \(all of IIT, EIT, OIT are needed\)"),
])
def test_bad_arguments(nacc_file, args, message):
    with pytest.raises(CommandError, match=message) as info:
        run("--framework", str(nacc_file), *args)
    assert " / " in str(info.value)          # Thai, then English


def test_missing_indicator_message_in_thai(nacc_file):
    with pytest.raises(CommandError, match=r"ขาดคะแนนตัวชี้วัด 10 \(ต้องให้ครบ 10 ตัวชี้วัด\)"):
        run("--framework", str(nacc_file), *INDICATORS[:9])


def test_bad_framework(tmp_path):
    with pytest.raises(CommandError, match="no file"):
        run("--framework", str(tmp_path / "none.yaml"), "IIT=1")
    broken = tmp_path / "broken.yaml"
    broken.write_text("schema: [", encoding="utf-8")
    with pytest.raises(CommandError, match="is not valid"):
        run("--framework", str(broken), "IIT=1")
    invalid = tmp_path / "invalid.yaml"
    invalid.write_text(samples.NACC_YAML.replace("weight: 40", "weight: 45"), encoding="utf-8")
    with pytest.raises(CommandError, match="weight"):
        run("--framework", str(invalid), "IIT=1")


def test_scores_argument_required(nacc_file):
    with pytest.raises(CommandError):
        call_command("score", "calc", "--framework", str(nacc_file), stdout=StringIO(), stderr=StringIO())


# --- calc helpers ------------------------------------------------------------------------------

def test_parse_assignments():
    assert calc.parse_assignments(["1=93.55", " IIT = 89.95 ", "๒=๘๗.๗๒", "3=100", "4=.5"]) == {
        "1": Decimal("93.55"), "IIT": Decimal("89.95"), "2": Decimal("87.72"), "3": Decimal("100"),
        "4": Decimal("0.5")}
    with pytest.raises(calc.CalcError) as info:
        calc.parse_assignments(["1=90", "2=9O"])
    assert info.value.argument == "2=9O"
    assert "ไม่ใช่ตัวเลข" in info.value.message_th


def test_only_ascii_and_thai_digits():
    with pytest.raises(calc.CalcError, match="not a number"):
        calc.parse_value("٩٣.٥٥")          # Arabic-Indic digits: Decimal() would take them, we do not


def test_resolve_matches_instrument_codes_case_insensitively():
    plan = engine.compile_framework(samples.nacc())
    assert calc.resolve(plan, {"iit": 1, "Eit": 2}) == ("instrument", {"IIT": 1, "EIT": 2})


def test_format_result_without_total():
    plan = engine.compile_framework(samples.nacc())
    score = engine.score_from_indicators(plan, {"9": 93.50, "10": 100})
    lines = calc.format_result(plan, score)
    assert lines[0].split() == ["IIT", "—", "×", "30%", "=", "—"]
    assert lines[2].split() == ["OIT", "96.75", "×", "40%", "=", "38.70"]
    assert lines[3] == "คะแนนรวม  —"
    assert "IIT, EIT" in lines[4]
