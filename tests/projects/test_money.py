"""Budget, budget lines and spending: totals, and every rule refusing with a message that names the line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from itadesk.core.models import AuditEvent
from itadesk.projects import selectors, services
from itadesk.projects.models import BudgetLine, Spending

D = Decimal


@pytest.fixture
def project(world):
    return services.save_project(actor=world.secretariat, province=world.province, changes={
        "name": "โครงการขับเคลื่อน ITA ๒๕๖๘", "round": world.round, "owner_office": world.prov_office,
        "objective": "ซักซ้อมความเข้าใจ", "budget": D("90000")})


def line(world, project, name, amount):
    return services.save_line(actor=world.secretariat, project=project, changes={"name": name, "amount": D(amount)})


def test_project_budget_in_words_and_totals(world, project):
    food = line(world, project, "ค่าอาหารกลางวันและอาหารว่าง", "48000")
    speakers = line(world, project, "ค่าตอบแทนวิทยากร", "21600")
    services.add_spending(actor=world.secretariat, line=food, date=dt.date(2025, 1, 21), amount=D("47999.50"))
    services.add_spending(actor=world.secretariat, line=speakers, date=dt.date(2025, 1, 21), amount=D("21.50"))
    money = selectors.money(project)
    assert money.budget_words == "เก้าหมื่นบาทถ้วน"
    assert (money.planned, money.unplanned, money.spent, money.left) == (D("69600"), D("20400"), D("48021"),
                                                                         D("41979"))
    assert [(r.line.name, r.spent, r.left) for r in money.lines] == [
        ("ค่าอาหารกลางวันและอาหารว่าง", D("47999.50"), D("0.50")), ("ค่าตอบแทนวิทยากร", D("21.50"), D("21578.50"))]
    assert [r.line.order for r in money.lines] == [1, 2]
    assert AuditEvent.objects.filter(action="projects.spending_add").count() == 2


def test_lines_may_not_exceed_the_budget(world, project):
    line(world, project, "ค่าอาหาร", "60000")
    with translation.override("th"), pytest.raises(ValidationError) as e:
        line(world, project, "ค่าวิทยากร", "30000.01")
    message = " ".join(e.value.messages)
    assert "ค่าวิทยากร" in message and "90,000.00" in message and "30,000.00" in message  # what is left to plan
    assert BudgetLine.objects.filter(project=project).count() == 1
    line(world, project, "ค่าวิทยากร", "30000")  # exactly the budget is fine


def test_raising_a_line_counts_the_others_once(world, project):
    food = line(world, project, "ค่าอาหาร", "60000")
    services.save_line(actor=world.secretariat, project=project, line=food, changes={"amount": D("90000")})
    with pytest.raises(ValidationError):
        services.save_line(actor=world.secretariat, project=project, line=food, changes={"amount": D("90000.01")})
    food.refresh_from_db()
    assert food.amount == D("90000")


def test_budget_cannot_drop_below_the_lines(world, project):
    line(world, project, "ค่าอาหาร", "60000")
    with pytest.raises(ValidationError) as e:
        services.save_project(actor=world.secretariat, province=world.province, project=project,
                              changes={"budget": D("50000")})
    assert "budget" in e.value.message_dict
    project.refresh_from_db()
    assert project.budget == D("90000")


def test_overspending_a_line_is_refused_with_the_line_named(world, project):
    food = line(world, project, "ค่าอาหารกลางวัน", "24000")
    services.add_spending(actor=world.secretariat, line=food, date=dt.date(2025, 1, 21), amount=D("20000"))
    with translation.override("th"), pytest.raises(ValidationError) as e:
        services.add_spending(actor=world.secretariat, line=food, date=dt.date(2025, 1, 22), amount=D("4000.01"))
    message = " ".join(e.value.messages)
    assert "ค่าอาหารกลางวัน" in message and "4,000.00" in message
    assert Spending.objects.filter(line=food).count() == 1
    services.add_spending(actor=world.secretariat, line=food, date=dt.date(2025, 1, 22), amount=D("4000"))
    assert selectors.money(project).lines[0].left == 0


def test_a_line_with_spending_cannot_shrink_below_it_or_go(world, project):
    food = line(world, project, "ค่าอาหาร", "1000")
    services.add_spending(actor=world.secretariat, line=food, date=dt.date(2025, 1, 21), amount=D("800"))
    with pytest.raises(ValidationError, match="800.00"):
        services.save_line(actor=world.secretariat, project=project, line=food, changes={"amount": D("799")})
    with pytest.raises(ValidationError):
        services.delete_line(actor=world.secretariat, line=food)
    assert BudgetLine.objects.filter(pk=food.pk).exists()


@pytest.mark.parametrize("amount", ["0", "-1"])
def test_amounts_must_be_positive(world, project, amount):
    with pytest.raises(ValidationError):
        line(world, project, "ค่าอาหาร", amount)
    food = line(world, project, "ค่าอาหาร", "100")
    with pytest.raises(ValidationError):
        services.add_spending(actor=world.secretariat, line=food, date=dt.date(2025, 1, 21), amount=D(amount))


def test_receipt_is_stored_and_downloaded(world, project, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    food = line(world, project, "ค่าอาหาร", "1000")
    receipt = SimpleUploadedFile("ใบเสร็จ.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")
    spending = services.add_spending(actor=world.secretariat, line=food, date=dt.date(2025, 1, 21), amount=D("500"),
                                     receipt=receipt)
    client.force_login(world.nacc_officer)
    response = client.get(f"/projects/{project.pk}/spending/{spending.pk}/receipt/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 receipt"
