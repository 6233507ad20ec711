"""Upload → preview → apply through the web, for agencies and progress."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from itadesk.core.models import AuditEvent
from itadesk.cycles.models import Progress
from itadesk.registry.models import Agency

HEADER = "รหัส ITAS,รหัส อปท.,ชื่อหน่วยงาน,ประเภท,อำเภอ,เว็บไซต์หลัก\r\n"


def upload(client, url, text, name="agencies.csv", encoding="utf-8-sig"):
    return client.post(url, {"file": SimpleUploadedFile(name, text.encode(encoding))})


def test_agency_import_preview_then_apply(world, client):
    client.force_login(world.secretariat)
    url = reverse("registry:agency_import")
    csv = HEADER + "ab12cd,06420299,องค์การบริหารส่วนตำบลทดสอบ,อบต.,นาด้วง,www.test.go.th\r\n"
    preview = upload(client, url, csv)
    assert preview.status_code == 200
    assert "สร้างใหม่ 1" in preview.content.decode()
    assert not Agency.objects.filter(itas_code="ab12cd").exists()  # nothing written before confirming
    token = preview.context["token"]
    applied = client.post(url, {"token": token, "apply": "1"})
    assert applied.status_code == 302
    agency = Agency.objects.get(itas_code="ab12cd")
    assert (agency.district, agency.website, agency.kind) == (world.d2, "http://www.test.go.th", "sao")
    assert AuditEvent.objects.filter(action="agency.create", object_id=str(agency.pk), actor=world.secretariat).exists()
    # the token is used up
    again = client.post(url, {"token": token, "apply": "1"})
    assert again.status_code == 302 and Agency.objects.filter(itas_code="ab12cd").count() == 1


def test_agency_import_errors_name_row_and_column_and_write_nothing(world, client):
    client.force_login(world.secretariat)
    before = list(Agency.objects.values_list("pk", "name_th", "itas_code", "district_id").order_by("pk"))
    csv = (HEADER + "x1,,องค์การบริหารส่วนตำบลใหม่,อบต.,นาด้วง,\r\n"
           "x2,,,อบต.,เมืองเล,ไม่ใช่ลิงก์\r\n")
    response = upload(client, reverse("registry:agency_import"), csv.encode("cp874").decode("cp874"),
                      name="a.csv", encoding="cp874")
    html = response.content.decode()
    assert "แถว 3" in html and "อำเภอ" in html and "เมืองเล" in html
    assert "ชื่อหน่วยงาน" in html
    assert not response.context["plan"].ok
    # apply is refused even when forced
    client.post(reverse("registry:agency_import"), {"token": response.context["token"], "apply": "1"})
    assert list(Agency.objects.values_list("pk", "name_th", "itas_code", "district_id").order_by("pk")) == before


def test_agency_import_rejects_other_file_types(world, client):
    client.force_login(world.secretariat)
    response = upload(client, reverse("registry:agency_import"), "hello", name="agencies.txt")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_agency_export_round_trips(world, client):
    client.force_login(world.secretariat)
    data = client.get(reverse("registry:agency_export", args=["xlsx"])).content
    response = client.post(reverse("registry:agency_import"),
                           {"file": SimpleUploadedFile("agencies.xlsx", data)})
    plan = response.context["plan"]
    assert plan.ok and not plan.creates and not plan.updates and plan.unchanged == len(world.agencies)


def test_progress_import_by_an_officer_is_limited_to_its_agencies(world, client):
    client.force_login(world.local_officer)
    url = reverse("progress_import", args=[world.round.pk])
    csv = "หน่วยงาน,ขั้นตอน,สถานะ,หมายเหตุ\r\n06420205,stakeholders,อนุมัติแล้ว,ตามหนังสือแจ้ง\r\n"
    preview = upload(client, url, csv, name="p.csv")
    assert preview.context["plan"].ok
    assert client.post(url, {"token": preview.context["token"], "apply": "1"}).status_code == 302
    p = Progress.objects.get(agency=world.sao1, milestone=world.m1)
    assert (p.status, p.updated_by) == ("approved", world.local_officer)
    # the provincial agency is not followed by the local-promotion office
    outside = upload(client, url, f"หน่วยงาน,ขั้นตอน,สถานะ\r\n{world.provincial.name_th},oit,done\r\n", name="p.csv")
    assert not outside.context["plan"].ok
    assert not Progress.objects.filter(agency=world.provincial).exists()


def test_progress_export_holds_only_the_users_agencies(world, client):
    from openpyxl import load_workbook

    client.force_login(world.local_officer)
    data = client.get(reverse("progress_export", args=[world.round.pk])).content
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))[1:]
    names = {r[1] for r in rows}
    assert names == {world.pao.name_th, world.sao1.name_th, world.sao2.name_th}


def test_an_import_refused_at_apply_says_why_and_writes_nothing(world, client):
    """A row the check lets through but saving refuses (an officer sets back a milestone whose stakeholder
    data is locked): the page says why (no server error) and shows the file checked again; nothing is
    written, not even the file's other rows."""
    from itadesk.cycles.models import Status
    from itadesk.cycles.services import set_progress
    from itadesk.surveys.models import StakeholderData

    set_progress(actor=world.secretariat, agency=world.sao1, milestone=world.m1, status=Status.APPROVED)
    StakeholderData.objects.create(round=world.round, agency=world.sao1, internal_count=30, external_people=500,
                                   state=StakeholderData.State.APPROVED, locked=True)
    client.force_login(world.local_officer)
    url = reverse("progress_import", args=[world.round.pk])
    csv = "หน่วยงาน,ขั้นตอน,สถานะ\r\n06420203,oit,done\r\n06420205,stakeholders,ยังไม่เริ่ม\r\n"
    preview = upload(client, url, csv, name="p.csv")
    assert preview.context["plan"].ok
    response = client.post(url, {"token": preview.context["token"], "apply": "1"}, follow=True)
    assert response.status_code == 200
    assert "ล็อก" in response.content.decode() and "ไม่ได้นำเข้าข้อมูลใด ๆ" in response.content.decode()
    assert Progress.objects.get(agency=world.sao1, milestone=world.m1).status == Status.APPROVED
    assert not Progress.objects.filter(agency=world.sao2, milestone=world.m2).exists()
