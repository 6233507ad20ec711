"""Progress bulk update from a spreadsheet (itadesk.cycles.importing and ``itadesk progress``)."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from itadesk.core.models import AuditEvent
from itadesk.core.tabular import ImportRefused, write_table
from itadesk.cycles.importing import (
    HEADERS,
    apply_progress_import,
    export_progress,
    plan_progress_import,
)
from itadesk.cycles.models import Progress, Status
from itadesk.cycles.services import set_progress
from itadesk.registry.models import Agency
from tests.factories import AgencyFactory, ProvinceFactory, RoundFactory, UserFactory, enrol

pytestmark = pytest.mark.django_db

SHORT = ["หน่วยงาน", "ขั้นตอน", "สถานะ", "หมายเหตุ"]


@pytest.fixture
def world():
    province = ProvinceFactory(code="42", name_th="เลย", name_en="Loei")
    round_ = RoundFactory.with_milestones(province=province, fiscal_year=2568)
    nadee = AgencyFactory(province=province, itas_code="06420115", dla_code="6420115", name_th="อบต.นาดี")
    buhom = AgencyFactory(province=province, itas_code=None, dla_code="6420116", name_th="อบต.บุฮม")
    city = AgencyFactory(province=province, itas_code=None, dla_code=None, name_th="เทศบาลเมืองเลย")
    outsider = AgencyFactory(province=province, name_th="อบต.ไม่ได้เข้าร่วม")
    enrol(round_, [nadee, buhom, city])
    return round_, nadee, buhom, city, outsider


def csv_bytes(rows, headers=SHORT, encoding="utf-8-sig", delimiter=","):
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


def plan_for(round_, rows, headers=SHORT, **kwargs):
    allowed = kwargs.pop("allowed_agency_ids", None)
    return plan_progress_import(data=csv_bytes(rows, headers, **kwargs), filename="progress.csv", round=round_,
                                allowed_agency_ids=allowed)


def messages(plan):
    return [str(e) for e in plan.errors]


def snapshot():
    return list(Progress.objects.order_by("pk").values()), AuditEvent.objects.count()


def test_import_by_code_dla_and_name_with_thai_and_english_statuses(world):
    round_, nadee, buhom, city, _ = world
    user = UserFactory()
    plan = plan_for(round_, [
        ["06420115", "register", "ดำเนินการแล้ว", "ส่งแล้ว"],
        ["๐๖๔๒๐๑๑๕", "ส่งข้อมูล OIT", "กำลังดำเนินการ", ""],  # Thai digits, milestone by Thai name
        ["6420116", "REGISTER", "Approved", ""],
        ["เทศบาลเมืองเลย", "iit-eit", "in_progress", ""],
        ["เทศบาลเมืองเลย", "register", "ยังไม่เริ่ม", ""],  # no row yet and not started: nothing to do
    ])
    assert plan.ok, messages(plan)
    assert (len(plan.changes), plan.unchanged) == (4, 1)
    result = apply_progress_import(actor=user, plan=plan)
    assert (result.changed, result.unchanged) == (4, 1)
    assert "4 changed, 1 unchanged" in str(result)
    got = {(p.agency.name_th, p.milestone.code): (p.status, p.note) for p in Progress.objects.all()}
    assert got == {
        ("อบต.นาดี", "register"): (Status.DONE, "ส่งแล้ว"),
        ("อบต.นาดี", "oit"): (Status.IN_PROGRESS, ""),
        ("อบต.บุฮม", "register"): (Status.APPROVED, ""),
        ("เทศบาลเมืองเลย", "iit-eit"): (Status.IN_PROGRESS, ""),
    }
    assert AuditEvent.objects.filter(action="progress.set", actor=user).count() == 4
    done = Progress.objects.get(agency=nadee, milestone__code="register")
    assert done.done_at is not None and done.updated_by == user


def test_without_note_column_notes_are_kept(world):
    round_, nadee, *_ = world
    milestone = round_.milestones.get(code="oit")
    set_progress(actor=None, agency=nadee, milestone=milestone, status=Status.IN_PROGRESS, note="รอผู้บริหาร")
    plan = plan_for(round_, [["06420115", "oit", "ดำเนินการแล้ว"], ["06420115", "register", "Not started"]],
                    ["หน่วยงาน", "ขั้นตอน", "สถานะ"])
    assert plan.ok, messages(plan)
    assert (len(plan.changes), plan.unchanged) == (1, 1)
    apply_progress_import(actor=None, plan=plan)
    progress = Progress.objects.get(agency=nadee, milestone=milestone)
    assert (progress.status, progress.note) == (Status.DONE, "รอผู้บริหาร")


def test_errors(world):
    round_, nadee, buhom, city, outsider = world
    AgencyFactory(province=round_.province, itas_code=None, dla_code=None, name_th="อบต.ซ้ำ")
    AgencyFactory(province=round_.province, itas_code=None, dla_code=None, name_th="อบต.ซ้ำ")
    other_province = AgencyFactory(province=ProvinceFactory(code="43"), itas_code="06430001")
    plan = plan_for(round_, [
        ["06420115", "register", "done", ""],  # 2 fine
        ["99999999", "register", "done", ""],  # 3 unknown agency
        [outsider.itas_code, "register", "done", ""],  # 4 not in the round
        ["06420115", "ส่งเอกสาร", "done", ""],  # 5 unknown milestone
        ["06420115", "oit", "เสร็จไหม", ""],  # 6 unknown status
        ["06420115", "register", "approved", ""],  # 7 duplicate of row 2
        ["", "", "", "note only"],  # 8 everything missing
        ["อบต.ซ้ำ", "oit", "done", ""],  # 9 ambiguous name
        [other_province.itas_code, "oit", "done", ""],  # 10 another province: unknown here
    ])
    errors = messages(plan)
    rows = [e.row for e in plan.errors]
    assert rows == [3, 4, 5, 6, 7, 8, 8, 8, 9, 10]
    assert "unknown agency '99999999'" in errors[0]
    assert f"'{outsider.name_th}' does not take part in {round_.name}" in errors[1]
    assert errors[2].startswith("แถว 5 คอลัมน์ ขั้นตอน: ไม่พบขั้นตอน 'ส่งเอกสาร'")
    assert "accepted: register, iit-eit, oit" in errors[2]
    assert "unknown status 'เสร็จไหม'" in errors[3] and "ยังไม่เริ่ม" in errors[3]
    assert "milestone 'register' appears in both row 2 and row 7" in errors[4]
    assert "more than one agency is called 'อบต.ซ้ำ'" in errors[8]
    with pytest.raises(ImportRefused):
        apply_progress_import(actor=None, plan=plan)
    assert Progress.objects.count() == 0


def test_only_agencies_you_follow(world):
    round_, nadee, buhom, *_ = world
    plan = plan_for(round_, [["06420115", "oit", "done", ""], ["6420116", "oit", "done", ""]],
                    allowed_agency_ids={nadee.pk})
    assert messages(plan) == [
        "แถว 3 คอลัมน์ หน่วยงาน: 'อบต.บุฮม' ไม่ใช่หน่วยงานที่คุณกำกับติดตาม / "
        "Row 3, column หน่วยงาน: 'อบต.บุฮม' is not an agency you follow"]


def test_wrong_headers(world):
    round_, *_ = world
    plan = plan_for(round_, [["06420115", "oit", "done"]], ["agency", "step", "สถานะ"])
    errors = messages(plan)
    assert len(errors) == 2
    assert "unknown column header 'step'" in errors[0]
    assert "required column 'ขั้นตอน' (milestone) is missing" in errors[1]
    plan = plan_for(round_, [["oit", "done"]], ["ขั้นตอน", "สถานะ"])
    assert "required column 'หน่วยงาน' (agency) is missing" in messages(plan)[0]


def test_name_column_alone_identifies_agencies(world):
    round_, *_ = world
    plan = plan_for(round_, [["อบต.นาดี", "oit", "done"]], ["ชื่อหน่วยงาน", "ขั้นตอน", "สถานะ"])
    assert plan.ok and len(plan.changes) == 1


@pytest.mark.parametrize("encoding, delimiter", [("cp874", ","), ("utf-8-sig", ";"), ("utf-8", "\t")])
def test_file_forms(world, encoding, delimiter):
    round_, *_ = world
    plan = plan_for(round_, [["อบต.นาดี", "ส่งข้อมูล OIT", "กำลังดำเนินการ", "รอ; ตรวจ, อีกครั้ง"]],
                    encoding=encoding, delimiter=delimiter)
    assert plan.ok, messages(plan)
    assert plan.changes[0].note == "รอ; ตรวจ, อีกครั้ง"


@pytest.mark.parametrize("data, filename, text", [(b"", "p.csv", "empty"), (b"PK\x03\x04xx", "p.xlsx", "damaged")])
def test_unreadable_files(world, data, filename, text):
    round_, *_ = world
    plan = plan_progress_import(data=data, filename=filename, round=round_)
    assert len(plan.errors) == 1 and text in str(plan.errors[0])


def test_failed_import_changes_nothing(world):
    round_, nadee, buhom, city, _ = world
    set_progress(actor=None, agency=nadee, milestone=round_.milestones.get(code="register"), status=Status.DONE)
    before = snapshot()
    rows = [[a, m, "ดำเนินการแล้ว", "x"] for a in ("06420115", "6420116", "เทศบาลเมืองเลย") for m in ("iit-eit", "oit")]
    rows.append(["06420115", "register", "ผิด", ""])  # the LAST row is wrong
    plan = plan_for(round_, rows)
    assert [e.row for e in plan.errors] == [8] and len(plan.changes) == 6
    with pytest.raises(ImportRefused):
        apply_progress_import(actor=None, plan=plan)
    assert snapshot() == before


def test_failure_mid_way_rolls_back(world):
    round_, nadee, buhom, city, _ = world
    plan = plan_for(round_, [["06420115", "oit", "done", ""], ["6420116", "oit", "done", ""]])
    assert plan.ok
    round_.participations.filter(agency=buhom).delete()  # set_progress now refuses the second row
    before = snapshot()
    with pytest.raises(ImportRefused, match="row 3"):
        apply_progress_import(actor=None, plan=plan)
    assert snapshot() == before


def test_stale_plan_is_refused(world):
    round_, nadee, *_ = world
    plan = plan_for(round_, [["06420115", "oit", "done", ""]])
    set_progress(actor=None, agency=nadee, milestone=round_.milestones.get(code="oit"), status=Status.IN_PROGRESS)
    before = snapshot()
    with pytest.raises(ImportRefused, match="changed after the file was checked"):
        apply_progress_import(actor=None, plan=plan)
    assert snapshot() == before


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_is_unchanged(world, fmt):
    round_, nadee, buhom, city, _ = world
    set_progress(actor=None, agency=nadee, milestone=round_.milestones.get(code="register"), status=Status.DONE,
                 note="ส่งแล้ว 12 ม.ค.")
    set_progress(actor=None, agency=city, milestone=round_.milestones.get(code="oit"), status=Status.IN_PROGRESS)
    buf = io.BytesIO()
    assert export_progress(buf, round_, fmt) == 9
    plan = plan_progress_import(data=buf.getvalue(), filename=f"p.{fmt}", round=round_)
    assert plan.ok, messages(plan)
    assert (len(plan.changes), plan.unchanged) == (0, 9)


def test_export_format(world, tmp_path):
    round_, nadee, buhom, city, _ = world
    path = tmp_path / "p.csv"
    export_progress(path, round_, agencies=Agency.objects.filter(pk=nadee.pk))
    text = path.read_bytes().decode("utf-8-sig").splitlines()
    assert text[0] == ",".join(f'"{h}"' for h in HEADERS)
    assert text[1].startswith('"06420115","อบต.นาดี","register","ลงทะเบียนผู้ดูแลระบบ ITAS","30 พ.ย. 2567 16:30 น.",'
                              '"ยังไม่เริ่ม"')
    assert len(text) == 4


def test_cli(world, tmp_path):
    round_, nadee, *_ = world
    path = tmp_path / "p.xlsx"
    write_table(path, SHORT, [["06420115", "oit", "ดำเนินการแล้ว", ""]])
    out = io.StringIO()
    call_command("progress", "import", str(path), "--round", "2568", "--dry-run", stdout=out)
    assert "1 to change" in out.getvalue() and Progress.objects.count() == 0
    UserFactory(username="officer")
    out = io.StringIO()
    call_command("progress", "import", str(path), "--user", "officer", stdout=out)
    assert "1 changed, 0 unchanged" in out.getvalue()
    assert Progress.objects.get().updated_by.username == "officer"

    out = io.StringIO()
    call_command("progress", "export", str(tmp_path / "out.csv"), "--round", "2025", stdout=out)  # CE year
    assert "exported 9 rows" in out.getvalue()
    out = io.StringIO()
    call_command("progress", "import", str(tmp_path / "out.csv"), stdout=out)
    assert "0 changed, 9 unchanged" in out.getvalue()


def test_cli_errors(world, tmp_path):
    round_, *_ = world
    path = tmp_path / "p.csv"
    path.write_bytes(csv_bytes([["06420115", "oit", "ดำเนินการแล้ว", ""], ["x", "oit", "done", ""]]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("progress", "import", str(path), stdout=io.StringIO(), stderr=err)
    assert "Row 3, column หน่วยงาน: unknown agency 'x'" in err.getvalue()
    assert Progress.objects.count() == 0
    with pytest.raises(CommandError, match="no round for fiscal year 2570"):
        call_command("progress", "export", str(tmp_path / "o.csv"), "--round", "2570")
    RoundFactory(province=round_.province, fiscal_year=2569, is_current=True)
    with pytest.raises(CommandError, match="several rounds"):
        call_command("progress", "export", str(tmp_path / "o.csv"))


def test_an_officer_may_import_only_the_agencies_of_the_office(world):
    from itadesk.accounts.models import Role
    from itadesk.registry.models import OversightRule
    from tests.factories import OfficeFactory

    round_, nadee, buhom, *_ = world
    office = OfficeFactory(province=round_.province)
    OversightRule.objects.create(office=office).agencies.add(nadee)
    officer = UserFactory.with_role(Role.OFFICER, office=office)
    assert officer.memberships.get().office == office
    allowed = set(Agency.objects.filter(office.agency_q()).values_list("pk", flat=True))
    plan = plan_for(round_, [["06420115", "oit", "done", ""], ["6420116", "oit", "done", ""]],
                    allowed_agency_ids=allowed)
    assert [e.row for e in plan.errors] == [3]
    assert len(plan.changes) == 1
