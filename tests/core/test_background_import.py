"""Large import files are checked (and applied) by a background job — Huey in immediate mode here, a real worker in
tests/core/test_faults.py — while the page shows a progress bar; then the same preview as for a small file."""

from __future__ import annotations

import io
import re
import tracemalloc
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from itadesk.core import imports, uploads
from itadesk.core.models import AuditEvent, ImportJob
from itadesk.registry.models import Agency
from tests.core.test_import_limits import _bomb

HEADER = "รหัส ITAS,รหัส อปท.,ชื่อหน่วยงาน,ประเภท,อำเภอ,เว็บไซต์หลัก\r\n"
AGENCIES = HEADER + "ab12cd,06420299,องค์การบริหารส่วนตำบลทดสอบ,อบต.,นาด้วง,www.test.go.th\r\n"


@pytest.fixture
def immediate(monkeypatch):
    monkeypatch.setattr(HUEY, "immediate", True)


@pytest.fixture
def small_threshold(settings):
    settings.ITADESK_IMPORT_BACKGROUND_BYTES = 10
    settings.ITADESK_IMPORT_BACKGROUND_ROWS = 1


def _post(client, url, data, capture):
    with capture(execute=True):
        return client.post(url, data)


def _upload(client, url, text, capture, name="agencies.csv"):
    return _post(client, url, {"file": SimpleUploadedFile(name, text.encode("utf-8-sig"))}, capture)


def test_a_large_file_is_checked_by_a_job_then_previewed_and_applied(
        world, client, immediate, small_threshold, django_capture_on_commit_callbacks):
    client.force_login(world.secretariat)
    url = reverse("registry:agency_import")
    sent = _upload(client, url, AGENCIES, django_capture_on_commit_callbacks)
    assert sent.status_code == 302 and sent["Location"].startswith(url + "?job=")
    job = ImportJob.objects.get()
    assert (job.status, job.apply, job.attempts, job.user) == ("done", False, 1, world.secretariat)
    assert (job.phase, job.done, job.total) == ("check", 1, 1)
    preview = client.get(sent["Location"])
    assert preview.status_code == 200 and "สร้างใหม่ 1" in preview.content.decode()
    assert not Agency.objects.filter(itas_code="ab12cd").exists()  # nothing written before confirming
    token = preview.context["token"]
    assert token == job.token

    applied = _post(client, url, {"token": token, "apply": "1"}, django_capture_on_commit_callbacks)
    second = ImportJob.objects.exclude(pk=job.pk).get()
    assert applied["Location"] == f"{url}?job={second.pk}"
    assert (second.status, second.apply, second.applied) == ("done", True, True)
    done = client.get(applied["Location"], follow=True)
    assert done.redirect_chain[-1][0] == reverse("registry:agency_list")
    assert "นำเข้าข้อมูลแล้ว" in done.content.decode() or "Import applied" in done.content.decode()
    agency = Agency.objects.get(itas_code="ab12cd")
    assert AuditEvent.objects.filter(action="agency.create", object_id=str(agency.pk), actor=world.secretariat).exists()
    assert uploads.load(world.secretariat, token) is None  # used up, as for a small file


def test_the_page_shows_a_progress_bar_while_the_job_runs(world, client, small_threshold,
                                                          django_capture_on_commit_callbacks):
    client.force_login(world.secretariat)
    url = reverse("registry:agency_import")
    sent = _upload(client, url, AGENCIES, django_capture_on_commit_callbacks)  # queued: no worker here
    job = ImportJob.objects.get()
    assert job.status == "queued"
    page = client.get(sent["Location"]).content.decode()
    assert f'data-import-job="{reverse("core:import_job", args=[job.pk])}"' in page
    assert 'class="progress-bar' in page and "itadesk/importjob.js" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)  # no inline script (CSP)
    assert not re.search(r"\son[a-z]+=|\sstyle=", page.split('data-testid="import-job"')[1].split("</div>\n<script")[0])
    status = client.get(reverse("core:import_job", args=[job.pk])).json()
    assert status == {"status": "queued", "finished": False, "phase": "", "label": status["label"], "done": 0,
                      "total": 0, "percent": None, "attempts": 0}
    # only its owner sees it
    other = Client()
    other.force_login(world.nacc_officer)
    assert other.get(reverse("core:import_job", args=[job.pk])).status_code == 404
    assert other.get(sent["Location"]).status_code in (302, 403)
    # the job runs (a worker picks it up): the same page now shows the preview
    imports.run(job.pk)
    job.refresh_from_db()
    assert client.get(reverse("core:import_job", args=[job.pk])).json()["percent"] == 100
    assert "สร้างใหม่ 1" in client.get(sent["Location"]).content.decode()


@pytest.mark.parametrize("page", ["people", "progress", "responses", "results", "agencies"])
def test_every_import_page_gives_the_same_preview_from_a_job(
        page, world, client, settings, immediate, django_capture_on_commit_callbacks):
    from itadesk.methodology import services as methodology_services
    from tests.methodology.frameworks import nacc_shaped

    if page == "results":
        methodology_services.install_framework(actor=None, text=nacc_shaped(), source="test")
    url, text = {
        "people": (reverse("accounts:people_import") + f"?province={world.province.pk}",
                   "ชื่อ-นามสกุล,อีเมล,บทบาท,หน่วยงาน\r\nสมชาย ใจดี,somchai@example.go.th,แอดมิน,06420205\r\n"),
        "progress": (reverse("progress_import", args=[world.round.pk]),
                     "หน่วยงาน,ขั้นตอน,สถานะ,หมายเหตุ\r\n06420205,stakeholders,อนุมัติแล้ว,ตามหนังสือแจ้ง\r\n"),
        "responses": (reverse("surveys:import", args=[world.round.pk]),
                      "หน่วยงาน,IIT,EIT\r\n06420205,12,3\r\n"),
        "results": (reverse("methodology:results_import"),
                    "หน่วยงาน,ปีงบประมาณ," + ",".join(f"ตัวชี้วัดที่ {n}" for n in range(1, 11))
                    + ",คะแนนรวม\r\n06420205,2567,90,92,94,96,98,90,90,93,60,80,\r\n"),
        "agencies": (reverse("registry:agency_import"), AGENCIES),
    }[page]
    client.force_login(world.secretariat)
    in_request = _upload(client, url, text, django_capture_on_commit_callbacks, name="f.csv")
    assert in_request.status_code == 200 and not ImportJob.objects.exists()
    expected = in_request.context["plan"]

    settings.ITADESK_IMPORT_BACKGROUND_ROWS = 1
    sent = _upload(client, url, text, django_capture_on_commit_callbacks, name="f.csv")
    assert sent.status_code == 302 and "job=" in sent["Location"]
    shown = client.get(sent["Location"])
    assert shown.status_code == 200, ImportJob.objects.get().message
    plan = shown.context["plan"]
    assert [str(e) for e in plan.errors] == [str(e) for e in expected.errors]
    assert _summary(plan) == _summary(expected)
    assert ('data-testid="import-errors"' if plan.errors else 'data-testid="import-summary"') in shown.content.decode()


def _summary(plan):
    summary = getattr(plan, "summary", None)
    return summary() if callable(summary) else summary


def test_data_changed_before_the_apply_job_is_refused_and_shown_again(
        world, client, immediate, small_threshold, django_capture_on_commit_callbacks):
    client.force_login(world.secretariat)
    url = reverse("registry:agency_import")
    text = HEADER + f"{world.sao1.itas_code or 'zz99'},{world.sao1.dla_code},{world.sao1.name_th},อบต.,นาด้วง,www.new.go.th\r\n"
    sent = _upload(client, url, text, django_capture_on_commit_callbacks)
    token = client.get(sent["Location"]).context["token"]
    before = list(Agency.objects.values_list("pk", "website").order_by("pk"))
    _post(client, url, {"token": token, "apply": "1"}, django_capture_on_commit_callbacks)
    job = ImportJob.objects.latest("pk")
    assert job.status == "done" and job.apply
    assert job.applied or list(Agency.objects.values_list("pk", "website").order_by("pk")) == before


def test_a_kept_plan_that_was_tampered_with_is_not_read(world, client, immediate, small_threshold,
                                                         django_capture_on_commit_callbacks):
    client.force_login(world.secretariat)
    url = reverse("registry:agency_import")
    sent = _upload(client, url, AGENCIES, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    path = uploads.folder(world.secretariat) / f"{job.token}{uploads.PLAN_SUFFIX}"
    raw = bytearray(path.read_bytes())
    raw[-5] ^= 1
    path.write_bytes(bytes(raw))
    assert imports.load_plan(job) is None
    response = client.get(sent["Location"])
    assert response.status_code == 302 and response["Location"] == url


def test_an_upload_named_like_a_kept_plan_never_becomes_one(world):
    token = uploads.keep(world.secretariat, SimpleUploadedFile("evil.plan", b"not a pickle"))
    names = sorted(p.name for p in uploads.folder(world.secretariat).glob(f"{token}*"))
    assert names == sorted([f"{token}.upload", f"{token}.name"])
    assert uploads.load(world.secretariat, token) == (b"not a pickle", "evil.plan")


def test_the_sweeper_queues_a_dead_job_again_then_fails_it_with_its_progress(
        world, client, settings, small_threshold, django_capture_on_commit_callbacks):
    settings.ITADESK_JOB_MAX_ATTEMPTS = 2
    client.force_login(world.secretariat)
    _upload(client, reverse("registry:agency_import"), AGENCIES, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    long_ago = timezone.now() - timedelta(seconds=settings.ITADESK_JOB_LEASE_SECONDS + 1)
    # a worker took it, got to row 1 of 2 and was killed: no more heartbeat
    ImportJob.objects.filter(pk=job.pk).update(status="running", attempts=1, heartbeat_at=long_ago, phase="check",
                                                done=1, total=2)
    assert imports.sweep() == {"requeued": 1, "failed": 0}
    job.refresh_from_db()
    assert job.status == "queued"
    assert imports.sweep() == {"requeued": 0, "failed": 0}  # its heartbeat was renewed when queued again
    # the second worker is killed too: the job fails, keeping how far it got
    ImportJob.objects.filter(pk=job.pk).update(status="running", attempts=2, heartbeat_at=long_ago)
    assert imports.sweep() == {"requeued": 0, "failed": 1}
    job.refresh_from_db()
    assert (job.status, job.phase, job.done, job.total) == ("failed", "check", 1, 2)
    assert "2 ครั้ง" in job.message
    page = client.get(reverse("registry:agency_import") + f"?job={job.pk}", follow=True)
    assert "2 ครั้ง" in page.content.decode()
    # a job that is alive is left alone
    ImportJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=timezone.now())
    assert imports.sweep() == {"requeued": 0, "failed": 0}


def test_a_one_megabyte_bomb_in_a_job_costs_little_and_says_why(world, client, immediate,
                                                                 django_capture_on_commit_callbacks):
    client.force_login(world.secretariat)
    upload = io.BytesIO(_bomb(1 << 30))
    upload.name = "agencies.xlsx"
    assert len(upload.getvalue()) < 2 * 1024 * 1024
    tracemalloc.start()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            sent = client.post(reverse("registry:agency_import"), {"file": upload})
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100 * 1024 * 1024
    assert "?job=" in sent["Location"]
    page = client.get(sent["Location"]).content.decode()
    assert "เมื่อขยายแล้วมีขนาด 1024.0 MB" in page


def test_old_finished_jobs_are_removed_with_the_expired_uploads(world):
    old = ImportJob.objects.create(user=world.secretariat, token="a" * 32, importer="x.y", status="done")
    running = ImportJob.objects.create(user=world.secretariat, token="b" * 32, importer="x.y", status="running")
    fresh = ImportJob.objects.create(user=world.secretariat, token="c" * 32, importer="x.y", status="failed")
    ImportJob.objects.filter(pk__in=[old.pk, running.pk]).update(created_at=timezone.now() - timedelta(days=2))
    assert imports.remove_old_jobs() == 1
    assert set(ImportJob.objects.values_list("pk", flat=True)) == {running.pk, fresh.pk}
