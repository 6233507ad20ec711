"""``itadesk framework validate|to-xlsx|from-xlsx|list``. The command uses no database."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from itadesk.methodology import schema as S
from itadesk.methodology.schema import load_text

from .samples import MINIMAL_YAML, SAMPLE_YAML


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("framework", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args) -> tuple[str, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("framework", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), str(caught.value)


@pytest.fixture
def files(tmp_path):
    good = tmp_path / "sample.yaml"
    good.write_text(SAMPLE_YAML, encoding="utf-8")
    tiny = tmp_path / "tiny.yml"
    tiny.write_text(MINIMAL_YAML, encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(SAMPLE_YAML.replace("weight: 40", "weigth: 40").replace(
        "{code: o3, text_th: ข้อมูลการติดต่อ, text_status: paraphrase, scale: evidence}",
        "{code: o3, text_th: ข้อมูลการติดต่อ, text_status: paraphrase, scale: five}"), encoding="utf-8")
    return {"good": good, "tiny": tiny, "bad": bad, "dir": tmp_path}


def line_of(path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), start=1) if text in line)


def test_validate_ok(files):
    out, err = run("validate", str(files["good"]), str(files["tiny"]))
    assert out.splitlines() == [
        f"OK sample-ita-2568 v2: 3 instruments, 6 indicators, 9 items ({files['good']})",
        f"OK tiny v1: 1 instrument, 1 indicator, 1 item ({files['tiny']})",
    ]
    assert err == ""


def test_validate_prints_every_error_and_fails(files):
    bad = files["bad"]
    out, err, message = run_failing("validate", str(files["good"]), str(bad))
    assert out.startswith("OK sample-ita-2568 v2")
    o3 = "instruments[2].indicators[0].subindicators[0].items[1]"
    assert err.splitlines() == [
        f"{bad}: instruments[2].weigth: unknown key 'weigth' (did you mean 'weight'?) "
        f"(line {line_of(bad, 'weigth: 40')})",
        f"{bad}: instruments[2].weight: required key is missing (line {line_of(bad, '- code: OIT')})",
        f"{bad}: {o3}.scale: unknown scale 'five' (line {line_of(bad, 'scale: five')})",
    ]  # (no sum of weights while one of them is missing)
    assert message == "ไฟล์ไม่ถูกต้อง 1 จาก 2 ไฟล์ / 1 of 2 files is invalid"


def test_validate_missing_and_unknown_files(files):
    missing = files["dir"] / "nothing.yaml"
    text = files["dir"] / "notes.txt"
    text.write_text("hello")
    _out, err, message = run_failing("validate", str(missing), str(text))
    assert f"{missing}: (file): อ่านไฟล์ไม่ได้ / cannot read the file: No such file or directory" in err
    assert f"{text}: (file): ไม่รู้จักชนิดไฟล์ ใช้ .yaml หรือ .xlsx / unknown file type .txt: use .yaml or .xlsx" in err
    assert message.endswith("2 of 2 files are invalid")


def test_yaml_syntax_error(files):
    broken = files["dir"] / "broken.yaml"
    broken.write_text("schema: itadesk-framework/1\nid: [x\n")
    _out, err, _message = run_failing("validate", str(broken))
    assert err.startswith(f"{broken}: line ") and "YAML syntax error" in err


def test_to_xlsx_and_from_xlsx_round_trip(files):
    workbook = files["dir"] / "sample.xlsx"
    out, _err = run("to-xlsx", str(files["good"]), str(workbook))
    assert out.strip() == (f"เขียนแม่แบบ Excel แล้ว / wrote {workbook}: "
                           "sample-ita-2568 v2: 3 instruments, 6 indicators, 9 items")
    assert "items" in openpyxl.load_workbook(workbook).sheetnames
    out, _err = run("validate", str(workbook))
    assert out.startswith("OK sample-ita-2568 v2: 3 instruments, 6 indicators, 9 items")

    written = files["dir"] / "back.yaml"
    run("from-xlsx", str(workbook), str(written))
    text = written.read_text(encoding="utf-8")
    assert load_text(text) == load_text(SAMPLE_YAML)
    assert "กรอบการประเมินตัวอย่าง" in text  # Thai as is, not \u escapes
    assert text.index("schema:") < text.index("id:") < text.index("instruments:")  # the order of the spec
    assert list(S.parse_text(text)) == [k for k in S.KEYS["framework"] if k in S.parse_text(text)]


def test_from_xlsx_writes_nothing_when_invalid(files):
    workbook = files["dir"] / "sample.xlsx"
    run("to-xlsx", str(files["good"]), str(workbook))
    book = openpyxl.load_workbook(workbook)
    items = book["items"]
    scale_column = next(c.column for c in items[1] if str(c.value).endswith("\nscale"))
    items.cell(row=2, column=scale_column).value = "five"
    book.save(workbook)
    target = files["dir"] / "out.yaml"
    _out, err, message = run_failing("from-xlsx", str(workbook), str(target))
    assert err.strip() == (f"{workbook}: instruments[0].indicators[0].items[0].scale: unknown scale 'five' "
                           f"(sheet items, row 2, column H (scale))")
    assert message == f"ไม่ได้เขียน {target} เพราะ {workbook} ไม่ถูกต้อง / {workbook} is invalid: {target} was not written"
    assert not target.exists()
    assert list(files["dir"].glob(".out.yaml*")) == []


def test_unwritable_target(files):
    target = files["dir"] / "no-such-folder" / "out.xlsx"
    _out, _err, message = run_failing("to-xlsx", str(files["good"]), str(target))
    assert message.startswith(f"เขียนไฟล์ {target} ไม่ได้ / cannot write {target}: ")


def test_to_xlsx_writes_nothing_when_invalid(files):
    target = files["dir"] / "bad.xlsx"
    _out, err, _message = run_failing("to-xlsx", str(files["bad"]), str(target))
    assert "unknown scale 'five'" in err
    assert not target.exists()


@pytest.mark.parametrize("args", [("to-xlsx", "a.yaml", "b.csv"), ("from-xlsx", "a.yaml", "b.yaml"),
                                  ("from-xlsx", "a.xlsx", "b.json")])
def test_file_name_extensions(args):
    _out, _err, message = run_failing(*args)
    assert "the file name must end in" in message


def test_list_shipped_frameworks():
    shipped = sorted(S.FRAMEWORKS_DIR.glob("*.yaml"))
    out, err = run("list")
    assert err == ""
    lines = out.splitlines()
    assert len(lines) == max(len(shipped), 1)
    for path, line in zip(shipped, lines, strict=False):
        fw = S.load_file(path)
        size = S.counts(fw)
        assert line.startswith(f"{fw['id']} v{fw['version']} · ")
        assert line.endswith(f" · {path.name}")
        for code, n in size["items_by_instrument"].items():
            assert f"{code} {n}" in line


def test_list_a_folder(files):
    files["bad"].unlink()
    out, _err = run("list", "--dir", str(files["dir"]))
    assert out.splitlines() == [
        "sample-ita-2568 v2 · ปีงบประมาณ/FY 2568 · unofficial · 9 items (IIT 3, EIT 2, OIT 4) · sample.yaml",
        "tiny v1 · ปีงบประมาณ/FY 2568 · official · 1 item (OIT 1) · tiny.yml",
    ]


def test_list_reports_invalid_and_repeated_files(files):
    (files["dir"] / "copy.yaml").write_text(MINIMAL_YAML, encoding="utf-8")
    out, err, message = run_failing("list", "--dir", str(files["dir"]))
    assert "bad.yaml: ไม่ถูกต้อง / INVALID (3 errors; run: itadesk framework validate" in err
    assert "tiny.yml: tiny v1 ซ้ำกับ / is also in copy.yaml" in err
    assert message == "ไฟล์กรอบการประเมินมีปัญหา 2 ไฟล์ / 2 framework files with problems"
    assert "sample-ita-2568 v2" in out
