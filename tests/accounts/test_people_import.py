"""The people import: a good file, every kind of bad row, atomicity, encodings and XLSX, who may import what."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from itadesk.accounts.importing import apply_people_import, plan_people_import
from itadesk.accounts.models import Invitation, Membership, Profile, Role
from itadesk.core.models import AuditEvent
from itadesk.core.tabular import ImportRefused
from tests.accounts.people_kit import csv_bytes, xlsx_bytes

User = get_user_model()

GOOD = [
    ["นายสมชาย ใจดี", "Somchai@Example.test", "somchai.k", "06420205", "", "ผู้ดูแลระบบของหน่วยงาน"],
    ["นางสมศรี ใจงาม", "somsri@example.test", "", "06420205", "", "ผู้บริหาร"],
    ["นายปกรณ์ ตรวจดี", "pakorn@example.test", "@pakorn", "", "nacc", "reviewer"],
    ["นางสาวอร เลขา", "orn@example.test", "", "", "", "ฝ่ายเลขานุการคณะกรรมการ"],
]


def plan(world, rows, actor=None, **kw):
    data = kw.pop("data", None) or csv_bytes(rows)
    return plan_people_import(data=data, filename=kw.pop("filename", "people.csv"), province=world.province,
                              actor=actor or world.secretariat)


def test_good_file_creates_invited_accounts_in_one_go(world, django_capture_on_commit_callbacks, mailoutbox):
    checked = plan(world, GOOD)
    assert checked.ok, checked.errors
    assert [p.role for p in checked.people] == ["agency_admin", "agency_executive", "reviewer", "secretariat"]
    with django_capture_on_commit_callbacks(execute=True):
        result = apply_people_import(actor=world.secretariat, plan=checked)
    assert result.invited == 4
    somchai = User.objects.get(email="Somchai@Example.test")
    assert somchai.username == "somchai@example.test" and not somchai.has_usable_password()
    assert (somchai.first_name, somchai.last_name) == ("นายสมชาย", "ใจดี")
    assert Profile.objects.get(user=somchai).line_id == "somchai.k"
    assert Membership.objects.get(user=somchai).agency == world.sao1
    assert Membership.objects.get(user__email="pakorn@example.test").office == world.nacc
    assert Membership.objects.get(user__email="orn@example.test").province == world.province
    assert Invitation.objects.filter(sent_at__isnull=False, send_count=1).count() == 4
    assert AuditEvent.objects.filter(action="people.invite", actor=world.secretariat).count() == 4
    assert sorted(m.to[0] for m in mailoutbox) == sorted(r[1] for r in GOOD)
    # the same file again: nothing to do
    again = plan(world, GOOD)
    assert again.ok and again.people == [] and again.unchanged == 4


def test_every_kind_of_bad_row_is_named(world):
    User.objects.create_user("taken", "taken@example.test", "x")  # no role: may be given one
    rows = [
        ["", "noname@example.test", "", "06420205", "", "agency_admin"],  # 2: no name
        ["ก ข", "not-an-email", "", "06420205", "", "agency_admin"],  # 3: bad e-mail
        ["ก ข", "dup@example.test", "", "06420205", "", "agency_admin"],  # 4
        ["ค ง", "DUP@example.test", "", "06420203", "", "agency_admin"],  # 5: duplicate of row 4
        ["จ ฉ", "role@example.test", "", "06420205", "", "หัวหน้าใหญ่"],  # 6: unknown role
        ["ช ซ", "agency@example.test", "", "99999999", "", "agency_admin"],  # 7: unknown agency
        ["ฌ ญ", "office@example.test", "", "", "no-such-office", "officer"],  # 8: unknown office
        ["ฎ ฏ", "mismatch@example.test", "", "", "nacc", "agency_admin"],  # 9: agency role on an office
        ["ฐ ฑ", "mismatch2@example.test", "", "06420205", "", "officer"],  # 10: office role on an agency
        ["ฒ ณ", "admin-a@example.test", "", "06420203", "", "agency_admin"],  # 11: existing user, other role
        ["ด ต", "line@example.test", "ไลน์ ไอดี", "06420205", "", "agency_admin"],  # 12: bad LINE ID
        ["ถ ท", "both@example.test", "", "06420205", "nacc", "agency_admin"],  # 13: both agency and office
        ["ธ น", "sec@example.test", "", "06420205", "", "secretariat"],  # 14: secretariat on an agency
        ["บ ป", "root@example.test", "", "06420205", "", "agency_admin"],  # 15: a superuser's e-mail
    ]
    checked = plan(world, rows)
    by_row = {}
    for e in checked.errors:
        by_row.setdefault(e.row, []).append(e)
    assert set(by_row) == set(range(2, 16)) - {4}
    assert "ต้องระบุชื่อ" in by_row[2][0].th
    assert "not-an-email" in by_row[3][0].th and by_row[3][0].column == "อีเมล"
    assert "แถว 4 และแถว 5" in by_row[5][0].th
    assert "หัวหน้าใหญ่" in by_row[6][0].th and by_row[6][0].column == "บทบาท"
    assert "99999999" in by_row[7][0].th and by_row[7][0].column == "หน่วยงาน"
    assert "no-such-office" in by_row[8][0].th and "nacc" in by_row[8][0].th
    assert "ต้องระบุหน่วยงาน" in by_row[9][0].th and "ไม่ใช่สำนักงาน" in by_row[9][0].th
    assert "ต้องระบุสำนักงาน" in by_row[10][0].th
    assert "บทบาทอื่น" in by_row[11][0].th and "แก้วเมธี" in by_row[11][0].th
    assert by_row[12][0].column == "LINE ID"
    assert "ไม่ใช่ทั้งสอง" in by_row[13][0].th
    assert "เป็นของจังหวัด" in by_row[14][0].th
    assert "ผู้ดูแลระบบสูงสุด" in by_row[15][0].th
    assert all(e.en for e in checked.errors)


def test_one_bad_row_writes_nothing(world):
    users, memberships, events = User.objects.count(), Membership.objects.count(), AuditEvent.objects.count()
    checked = plan(world, [*GOOD, ["ผิด แถว", "bad@example.test", "", "00000000", "", "agency_admin"]])
    assert [e.row for e in checked.errors] == [6] and len(checked.people) == 4
    with pytest.raises(ImportRefused):
        apply_people_import(actor=world.secretariat, plan=checked)
    assert (User.objects.count(), Membership.objects.count(), AuditEvent.objects.count()) == (
        users, memberships, events)


def test_a_file_checked_twice_refuses_the_stale_plan(world):
    first, second = plan(world, GOOD[:1]), plan(world, GOOD[:1])
    apply_people_import(actor=world.secretariat, plan=first, send=False)
    with pytest.raises(ImportRefused) as refused:
        apply_people_import(actor=world.secretariat, plan=second, send=False)
    assert "ตรวจไฟล์ใหม่" in refused.value.th
    assert User.objects.filter(email__iexact="somchai@example.test").count() == 1


def test_windows_874_csv_and_xlsx(world):
    cp874 = plan(world, GOOD, data=csv_bytes(GOOD, encoding="cp874"))
    assert cp874.ok and [p.name for p in cp874.people] == [r[0] for r in GOOD]
    xlsx = plan(world, GOOD, data=xlsx_bytes(GOOD), filename="people.xlsx")
    assert xlsx.ok and [p.email for p in xlsx.people] == [r[1] for r in GOOD]
    no_bom = plan(world, GOOD, data=csv_bytes(GOOD, encoding="utf-8"))
    assert no_bom.ok and len(no_bom.people) == 4


def test_an_existing_account_without_a_role_gets_the_role(world):
    user = User.objects.create_user("somebody", "somebody@example.test", "pw-12345678")
    checked = plan(world, [["ใคร คนหนึ่ง", "somebody@example.test", "", "06420205", "", "agency_executive"]])
    assert checked.ok and checked.people[0].user == user
    apply_people_import(actor=world.secretariat, plan=checked)
    assert Membership.objects.get(user=user).role == Role.AGENCY_EXECUTIVE
    assert not Invitation.objects.filter(user=user).exists()  # has a password already: no invitation
    assert AuditEvent.objects.filter(action="people.add_role", object_id=str(user.pk)).exists()


def test_an_officer_imports_agency_people_of_followed_agencies_only(world):
    rows = [["ก ข", "a@example.test", "", "06420205", "", "agency_admin"],  # sao1: local follows it
            ["ค ง", "b@example.test", "", "", "local-promotion", "officer"]]  # not an agency role
    checked = plan(world, rows, actor=world.local_officer)
    assert [e.row for e in checked.errors] == [3] and "เฉพาะผู้ดูแลระบบและผู้บริหาร" in checked.errors[0].th
    provincial = plan(world, [["จ ฉ", "c@example.test", "", "จังหวัดเลย", "", "agency_admin"]],
                      actor=world.local_officer)  # the provincial agency: not a local government
    assert "ไม่ใช่หน่วยงานที่สำนักงานของคุณกำกับติดตาม" in provincial.errors[0].th
    ok = plan(world, rows[:1], actor=world.local_officer)
    assert ok.ok


def test_import_page_preview_then_apply(world, client, django_capture_on_commit_callbacks, mailoutbox):
    client.force_login(world.secretariat)
    url = reverse("accounts:people_import")
    preview = client.post(url, {"file": SimpleUploadedFile("people.csv", csv_bytes(GOOD))})
    html = preview.content.decode()
    assert preview.status_code == 200 and "นายสมชาย ใจดี" in html and "เชิญ 4 คน" in html
    assert not User.objects.filter(email="somsri@example.test").exists()
    with django_capture_on_commit_callbacks(execute=True):
        applied = client.post(url, {"token": preview.context["token"], "apply": "1"})
    assert applied.status_code == 302 and applied["Location"].startswith(reverse("accounts:people"))
    assert len(mailoutbox) == 4
    listing = client.get(applied["Location"]).content.decode()
    assert "somsri@example.test" in listing and "ส่งคำเชิญแล้ว" in listing


def test_import_page_shows_errors_and_writes_nothing(world, client):
    client.force_login(world.secretariat)
    url = reverse("accounts:people_import")
    bad = csv_bytes([["ก ข", "x@example.test", "", "06420205", "", "นักการเมือง"]])
    preview = client.post(url, {"file": SimpleUploadedFile("people.csv", bad)})
    assert "แถว 2" in preview.content.decode() and "นักการเมือง" in preview.content.decode()
    client.post(url, {"token": preview.context["token"], "apply": "1"})
    assert not User.objects.filter(email="x@example.test").exists()


def _role_names():
    from django.utils import translation

    from itadesk.accounts.importing import ROLE_ALIASES

    names = []
    for role in Role:
        for language in ("th", "en"):
            with translation.override(language):
                names.append((str(role.label), role.value))
        names += [(alias, role.value) for alias in ROLE_ALIASES[role]] + [(role.value, role.value)]
    return names


def test_role_names_match_whatever_the_spacing_and_case():
    from hypothesis import given
    from hypothesis import strategies as st

    from itadesk.accounts.importing import role_lookup
    from itadesk.core.tabular import compact_key

    lookup = role_lookup()

    @given(st.sampled_from(_role_names()), st.lists(st.sampled_from([" ", "  ", "-", "_", "."]), max_size=3),
           st.booleans())
    def check(named, noise, upper):
        name, role = named
        typed = "".join(noise) + (name.upper() if upper else name) + "".join(noise)
        assert lookup[compact_key(typed)] == role

    check()


def test_command_line_import(world, tmp_path, mailoutbox):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = tmp_path / "people.xlsx"
    path.write_bytes(xlsx_bytes(GOOD[:2]))
    out = StringIO()
    call_command("people", "import", str(path), "--dry-run", stdout=out)
    assert "dry run" in out.getvalue() and not User.objects.filter(email="somsri@example.test").exists()
    call_command("people", "import", str(path), "--user", "secretariat", "--no-send", stdout=out)
    assert User.objects.filter(email="somsri@example.test").exists() and mailoutbox == []
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([["ก ข", "k@example.test", "", "", "nacc", "officer"]]))
    with pytest.raises(CommandError):
        call_command("people", "import", str(bad), "--user", "local", stdout=out, stderr=StringIO())
    assert not User.objects.filter(email="k@example.test").exists()
