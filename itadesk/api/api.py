"""The endpoints of ``/api/v1/`` (django-ninja). Each one asks ``accounts.access`` exactly as the page that
shows or changes the same thing does — an object outside the user's scope is 404, a forbidden action 403 —
and every write runs the same service function as the page (one transaction, one history event naming the
token's user). docs/api.md describes them for people."""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Path, Query
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer

from itadesk.accounts import access
from itadesk.accounts.models import Membership
from itadesk.api import errors, schemas, selectors, services
from itadesk.cycles import services as cycle_services
from itadesk.cycles.models import Milestone
from itadesk.cycles.rounds import participant_or_404
from itadesk.evidence import services as evidence_services
from itadesk.evidence import workflow
from itadesk.evidence.forms import ItemForm
from itadesk.surveys import selectors as survey_selectors
from itadesk.surveys import services as survey_services
from itadesk.surveys.forms import ResponseForm

Id = Annotated[int, Path(ge=1, le=2_147_483_647)]
Code = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")]
ERRORS = {401: schemas.Error, 403: schemas.Error, 404: schemas.Error, 422: schemas.Error, 429: schemas.Error}
WRITE_ERRORS = {400: schemas.Error, **ERRORS}


class TokenAuth(HttpBearer):
    """``Authorization: Bearer itd_…``: a personal token; the call acts as its user, within the per-token
    rate limit."""

    def authenticate(self, request, token):
        found = services.token_for(token)
        if found is None:
            return None
        until = services.rate_limit(found)
        if until is not None:
            raise errors.RateLimited(until)
        request.user = found.user
        request.api_token = found
        return found


class ThaiJSON(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Thai as Thai, not escaped


api = NinjaAPI(
    title="ITA Desk API", version="1", urls_namespace="api:v1", auth=TokenAuth(), docs_url=None,
    renderer=ThaiJSON(),
    openapi_url="/openapi.json",
    description="อ่านและบันทึกข้อมูลการประเมิน ITA ของจังหวัดด้วยโทเค็นส่วนตัว ตามสิทธิ์เดียวกับหน้าเว็บ · "
                "Read and write a province's ITA data with a personal token, under the same access rules as the "
                "pages. See docs/api.md.",
)
errors.install(api)


# Operation ids are the view names (stable, readable in generated clients).
api.get_openapi_operation_id = lambda operation: operation.view_func.__name__


def _participant(request, round_id, agency_id):
    round = selectors.round_for(request.user, round_id)
    return round, participant_or_404(request.user, round, agency_id)


# --- who -----------------------------------------------------------------------------------------------

@api.get("/me", response={200: schemas.MeOut, **ERRORS}, url_name="me", tags=["me"],
         summary="ผู้ใช้ของโทเค็นนี้ · the token's user and roles")
def me(request):
    user, token = request.user, request.api_token
    roles = [{"role": m.role, "province_id": m.province_id, "office_id": m.office_id, "agency_id": m.agency_id}
             for m in Membership.objects.filter(user=user).order_by("id")]
    return {"id": user.pk, "username": user.get_username(), "name": user.get_full_name() or user.get_username(),
            "superuser": user.is_superuser, "roles": roles, "token_name": token.name,
            "token_expires_at": token.expires_at}


# --- rounds and agencies -------------------------------------------------------------------------------

@api.get("/rounds", response={200: schemas.RoundPage, **ERRORS}, url_name="rounds", tags=["rounds"],
         summary="รอบการประเมินที่เห็นได้ · rounds you may see")
def rounds(request, page: Query[schemas.PageIn]):
    data = selectors.page(selectors.rounds_for(request.user), page)
    data["items"] = [selectors.round_data(r) for r in data["items"]]
    return data


@api.get("/rounds/{round_id}", response={200: schemas.RoundDetailOut, **ERRORS}, url_name="round",
         tags=["rounds"], summary="รอบการประเมินและขั้นตอน · a round and its milestones")
def round_detail(request, round_id: Id):
    round = selectors.round_for(request.user, round_id)
    return {**selectors.round_data(round), "milestones": [selectors.milestone_data(m) for m in round.milestones.all()]}


@api.get("/rounds/{round_id}/agencies", response={200: schemas.AgencyPage, **ERRORS}, url_name="agencies",
         tags=["rounds"], summary="หน่วยงานในรอบที่เห็นได้ · the round's agencies you may see")
def agencies(request, round_id: Id, page: Query[schemas.PageIn]):
    round = selectors.round_for(request.user, round_id)
    return selectors.page(selectors.agencies(round, request.user), page)


# --- progress ------------------------------------------------------------------------------------------

@api.get("/rounds/{round_id}/progress", response={200: schemas.RoundProgressPage, **ERRORS}, url_name="round_progress",
         tags=["progress"], summary="ความคืบหน้าทุกหน่วยงานที่เห็นได้ · progress of every agency you may see")
def round_progress(request, round_id: Id, page: Query[schemas.PageIn]):
    round = selectors.round_for(request.user, round_id)
    data = selectors.page(selectors.agencies(round, request.user), page)
    data["items"] = selectors.round_progress(round, data["items"])
    data["milestones"] = [selectors.milestone_data(m) for m in round.milestones.all()]
    return data


@api.get("/rounds/{round_id}/agencies/{agency_id}/progress", response={200: schemas.ProgressListOut, **ERRORS},
         url_name="progress", tags=["progress"], summary="ความคืบหน้าตามขั้นตอน · progress per milestone")
def progress(request, round_id: Id, agency_id: Id):
    round, agency = _participant(request, round_id, agency_id)
    return {"round_id": round.pk, "agency_id": agency.pk, "can_edit": access.can(request.user, "set_progress", agency),
            "milestones": selectors.progress(round, agency)}


@api.put("/rounds/{round_id}/agencies/{agency_id}/progress/{milestone_id}",
         response={200: schemas.ProgressOut, **WRITE_ERRORS}, url_name="set_progress", tags=["progress"],
         summary="บันทึกความคืบหน้า (คำแจ้งของหน่วยงาน) · set the declaration")
def set_progress(request, round_id: Id, agency_id: Id, milestone_id: Id, data: schemas.ProgressIn):
    round, agency = _participant(request, round_id, agency_id)
    access.require(request.user, "set_progress", agency)
    milestone = get_object_or_404(Milestone, pk=milestone_id, round=round)
    cycle_services.set_progress(actor=request.user, agency=agency, milestone=milestone, status=data.status,
                                note=data.note)
    return selectors.progress_row(round, agency, milestone.pk)


# --- OIT -----------------------------------------------------------------------------------------------

@api.get("/rounds/{round_id}/agencies/{agency_id}/oit", response={200: schemas.OitPage, **ERRORS},
         url_name="oit_items", tags=["oit"], summary="ข้อ OIT และผลตรวจอัตโนมัติ · OIT items and findings")
def oit_items(request, round_id: Id, agency_id: Id, page: Query[schemas.PageIn]):
    round, agency = _participant(request, round_id, agency_id)
    access.require(request.user, "view_evidence", agency)
    ws = selectors.oit(round, agency)
    data = selectors.page(ws.rows, page)
    data["items"] = [selectors.oit_row(r) for r in data["items"]]
    data["state_counts"] = ws.counts
    return data


@api.get("/rounds/{round_id}/agencies/{agency_id}/oit/{code}", response={200: schemas.OitItemOut, **ERRORS},
         url_name="oit_item", tags=["oit"], summary="ข้อ OIT หนึ่งข้อ · one OIT item")
def oit_item(request, round_id: Id, agency_id: Id, code: Code):
    round, agency = _participant(request, round_id, agency_id)
    access.require(request.user, "view_evidence", agency)
    return selectors.oit_item(round, agency, code)


@api.put("/rounds/{round_id}/agencies/{agency_id}/oit/{code}", response={200: schemas.OitItemOut, **WRITE_ERRORS},
         url_name="save_oit_item", tags=["oit"],
         summary="บันทึกคำตอบ URL และคำอธิบาย · save the answer, URLs and explanation")
def save_oit_item(request, round_id: Id, agency_id: Id, code: Code, data: schemas.OitItemIn):
    round, agency = _participant(request, round_id, agency_id)
    if workflow.Role.EDITOR not in workflow.roles_for(request.user, agency):
        raise PermissionDenied
    selectors.oit_item(round, agency, code)  # 404 for an item the round's framework does not have
    cleaned = errors.check_form(lambda: ItemForm({
        "answer": data.answer, "urls": "\n".join(data.urls), "explanation": data.explanation,
        "revision": "" if data.revision is None else data.revision}))  # the page's checks, naming the field
    evidence_services.save_item(actor=request.user, round=round, agency=agency, item_code=code,
                                answer=cleaned["answer"], urls=cleaned["urls"], explanation=cleaned["explanation"],
                                revision=data.revision)
    return selectors.oit_item(round, agency, code)


# --- IIT/EIT response counts ---------------------------------------------------------------------------

@api.get("/rounds/{round_id}/agencies/{agency_id}/responses", response={200: schemas.ResponseCountsOut, **ERRORS},
         url_name="responses", tags=["iit-eit"], summary="จำนวนผู้ตอบ IIT/EIT · IIT/EIT response counts")
def responses(request, round_id: Id, agency_id: Id):
    round, agency = _participant(request, round_id, agency_id)
    access.require(request.user, "view_surveys", agency)
    return {"round_id": round.pk, "agency_id": agency.pk,
            "can_edit": access.can(request.user, "enter_responses", agency),
            "instruments": selectors.response_counts(round, agency)}


@api.post("/rounds/{round_id}/agencies/{agency_id}/responses",
          response={200: schemas.ResponseCountsOut, **WRITE_ERRORS}, url_name="record_responses", tags=["iit-eit"],
          summary="บันทึกจำนวนผู้ตอบ ณ วันที่ · record response counts on a date")
def record_responses(request, round_id: Id, agency_id: Id, data: schemas.ResponseCountsIn):
    round, agency = _participant(request, round_id, agency_id)
    access.require(request.user, "enter_responses", agency)
    instruments = survey_selectors.instruments(round)
    known = {i.code for i in instruments}
    errors.check_form(lambda: ResponseForm(
        {"on_date": data.on_date.isoformat(), **{f"count_{c}": "" if n is None else n for c, n in data.counts.items()
                                                 if c in known}},
        instruments=instruments, today=survey_selectors.today()),
        fields={f"count_{c}": f"counts.{c}" for c in known})  # the page's checks, naming the field
    survey_services.record_responses(actor=request.user, round=round, agency=agency, on_date=data.on_date,
                                     counts=data.counts)
    return responses(request, round_id, agency_id)


# --- action items and results --------------------------------------------------------------------------

@api.get("/action-items", response={200: schemas.ActionItemPage, **ERRORS}, url_name="action_items",
         tags=["committee"], summary="เรื่องที่ต้องติดตามและหน่วยงานที่ได้รับมอบหมาย · action items and targets")
def action_items(request, page: Query[schemas.PageIn],
                 province_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None):
    return selectors.page(selectors.action_items(request.user, province_id), page)


@api.get("/results", response={200: schemas.ResultPage, **ERRORS}, url_name="results", tags=["results"],
         summary="ผลคะแนน ITA ปีที่ผ่านมา · past results (published and recomputed totals)")
def results(request, page: Query[schemas.PageIn],
            fiscal_year: Annotated[int | None, Query(ge=2400, le=2700)] = None,
            agency_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None):
    data = selectors.page(selectors.results(request.user, fiscal_year=fiscal_year, agency_id=agency_id), page)
    data["items"] = [selectors.result_data(r) for r in data["items"]]
    return data
