"""The API's typed shapes (pydantic, through django-ninja): what each endpoint takes and gives. The OpenAPI
schema at /api/v1/openapi.json is generated from these, and every response is validated against them before
it is sent, so the schema and the answers cannot drift apart."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

# --- common ---------------------------------------------------------------------------------------------


class Error(Schema):
    """Every refusal: the reason in Thai and in English, and the field it concerns (when there is one)."""

    status: int
    code: str = Field(description="not_authenticated, forbidden, not_found, refused, invalid, rate_limited")
    message_th: str
    message_en: str
    field: str | None = None
    errors: list[ErrorDetail] = Field(default_factory=list, description="one entry per field, when several")


class ErrorDetail(Schema):
    field: str | None = None
    message_th: str
    message_en: str


Error.model_rebuild()


class PageIn(Schema):
    limit: int = Field(50, ge=1, le=200, description="items per page (at most 200)")
    offset: int = Field(0, ge=0, le=1_000_000, description="how many items to skip")


class Page(Schema):
    count: int = Field(description="all items, on every page")
    limit: int
    offset: int


# --- who ------------------------------------------------------------------------------------------------


class RoleOut(Schema):
    role: str
    province_id: int | None = None
    office_id: int | None = None
    agency_id: int | None = None


class MeOut(Schema):
    id: int
    username: str
    name: str
    superuser: bool
    roles: list[RoleOut]
    token_name: str
    token_expires_at: dt.datetime | None = None


# --- rounds ---------------------------------------------------------------------------------------------


class MilestoneOut(Schema):
    id: int
    code: str
    name_th: str
    name_en: str
    opens_at: dt.datetime | None = None
    deadline: dt.datetime
    order: int


class RoundOut(Schema):
    id: int
    province_id: int
    province: str
    fiscal_year: int = Field(description="Buddhist-era fiscal year, e.g. 2570")
    name: str
    starts_on: dt.date
    ends_on: dt.date
    is_current: bool
    state: Literal["open", "closed"]
    framework: str | None = Field(None, description="the framework's id and version, when the round has one")


class RoundDetailOut(RoundOut):
    milestones: list[MilestoneOut]


class RoundPage(Page):
    items: list[RoundOut]


class AgencyOut(Schema):
    id: int
    name_th: str
    name_en: str
    kind: str
    kind_label: str
    district: str
    itas_code: str | None = None
    website: str
    needs_coaching: bool


class AgencyPage(Page):
    items: list[AgencyOut]


# --- progress -------------------------------------------------------------------------------------------

Status = Literal["not_started", "in_progress", "done", "approved"]


class ProgressOut(Schema):
    milestone_id: int
    milestone_code: str
    milestone_name_th: str
    deadline: dt.datetime
    status: Status
    note: str
    done_at: dt.datetime | None = None
    changed_late: bool = Field(description="recorded after the deadline")
    late: bool = Field(description="not done and the deadline has passed")
    updated_at: dt.datetime | None = None
    updated_by: str | None = None


class ProgressListOut(Schema):
    round_id: int
    agency_id: int
    can_edit: bool
    milestones: list[ProgressOut]


class ProgressCellOut(Schema):
    milestone_id: int
    status: Status
    done_at: dt.datetime | None = None
    changed_late: bool


class AgencyProgressOut(Schema):
    agency_id: int
    agency: str
    milestones: list[ProgressCellOut]


class RoundProgressPage(Page):
    milestones: list[MilestoneOut]
    items: list[AgencyProgressOut]


class ProgressIn(Schema):
    status: Status
    note: str | None = Field(None, max_length=2000, description="left as it was when not given")


# --- OIT ------------------------------------------------------------------------------------------------

ItemState = Literal["not_started", "draft", "approved_by_executive", "submitted", "approved", "returned"]
AnswerValue = Literal["", "has", "has_not"]


class FindingOut(Schema):
    url: str
    code: str
    element_code: str
    passed: bool
    severity: str
    message_th: str
    message_en: str
    checked_at: dt.datetime


class ElementOut(Schema):
    code: str
    text: str
    decision: str | None = Field(None, description="the reviewer's decision on the element, if any")


class OitItemOut(Schema):
    code: str
    number: int
    title: str
    data_year: str
    state: ItemState
    answer: AnswerValue
    urls: list[str]
    explanation: str
    revision: int = Field(description="send it back when saving to refuse a save over a newer change")
    updated_at: dt.datetime | None = None
    ready: bool
    elements: list[ElementOut]
    findings: list[FindingOut] = Field(description="the checker's latest findings for the item's URLs")


class OitPage(Page):
    state_counts: dict[str, int]
    items: list[OitItemOut]


class OitItemIn(Schema):
    answer: AnswerValue = Field(description="has, has_not, or an empty string: not answered yet")
    urls: list[str] = Field(default_factory=list, max_length=50)
    explanation: str = Field("", max_length=5000)
    revision: int | None = Field(None, ge=0, le=1_000_000_000,
                                 description="the revision read; a newer change by someone else is refused")


# --- IIT/EIT --------------------------------------------------------------------------------------------


class CountOut(Schema):
    on_date: dt.date
    count: int
    source: str
    entered_by: str | None = None


class InstrumentCountsOut(Schema):
    code: str
    group: Literal["internal", "external"]
    name_th: str
    minimum: int | None = Field(None, description="the minimum sample, when the population is known")
    latest: CountOut | None = None
    history: list[CountOut]


class ResponseCountsOut(Schema):
    round_id: int
    agency_id: int
    can_edit: bool
    instruments: list[InstrumentCountsOut]


class ResponseCountsIn(Schema):
    on_date: dt.date = Field(description="ISO date (Christian era, e.g. 2026-12-07); not in the future")
    counts: dict[str, int | None] = Field(description="respondents by instrument code, e.g. {\"iit\": 52}")


# --- action items ---------------------------------------------------------------------------------------


class TargetOut(Schema):
    id: int
    agency_id: int
    agency: str
    status: str
    note: str
    updated_at: dt.datetime


class ActionItemOut(Schema):
    id: int
    province_id: int
    kind: str
    title: str
    detail: str
    office_id: int | None = None
    office: str | None = None
    meeting_id: int | None = None
    due_date: dt.date | None = None
    status: str
    targets: list[TargetOut]


class ActionItemPage(Page):
    items: list[ActionItemOut]


# --- results --------------------------------------------------------------------------------------------


class ResultOut(Schema):
    agency_id: int
    agency: str
    fiscal_year: int
    framework: str
    total: float | None = Field(None, description="recomputed by ITA Desk's scoring engine")
    published_total: float | None = Field(None, description="as published")
    level_code: str
    level_label: str
    passed: bool | None = None
    instrument_scores: dict[str, float | None]
    indicator_scores: dict[str, float | None]


class ResultPage(Page):
    items: list[ResultOut]
