"""How the API refuses: one JSON shape (``schemas.Error``) with the reason in Thai and in English."""

from __future__ import annotations

import math

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone, translation
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as SchemaError

from itadesk.core.services import Refused


class RateLimited(Exception):  # noqa: N818 — an answer (429), not a programming error
    def __init__(self, until):
        self.until = until


MESSAGES = {
    401: ("not_authenticated", "ต้องส่งโทเค็นที่ใช้ได้ในส่วนหัว Authorization: Bearer …",
          "A usable token is required in the header Authorization: Bearer …"),
    403: ("forbidden", "บทบาทของท่านไม่มีสิทธิ์ทำรายการนี้", "Your roles do not allow this."),
    404: ("not_found", "ไม่พบรายการนี้ หรือท่านไม่มีสิทธิ์เห็นรายการนี้", "Not found, or not yours to see."),
    429: ("rate_limited", "เรียกใช้บ่อยเกินกำหนด กรุณารอสักครู่แล้วลองใหม่",
          "Too many calls; wait a moment and try again."),
}


def body(status: int, code: str, th: str, en: str, field=None, errors=None) -> dict:
    return {"status": status, "code": code, "message_th": th, "message_en": en, "field": field,
            "errors": errors or []}


def _fixed(status: int) -> dict:
    code, th, en = MESSAGES[status]
    return body(status, code, th, en)


def _split(message: str) -> tuple[str, str]:
    """A service message written "Thai / English" as its two halves; any other text as both."""
    if " / " in message:
        th, en = message.split(" / ", 1)
        return th.strip(), en.strip()
    return message, message


def refusal(error: ValidationError) -> dict:
    """A service's refusal (``Refused`` or any ``ValidationError``) as the error body, naming the field."""
    if isinstance(error, Refused):
        return body(400, "refused", error.th, error.en, error.field)
    details = []
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for e in errors:
                for message in e.messages:
                    th, en = _split(message)
                    details.append({"field": None if field == "__all__" else field, "message_th": th,
                                    "message_en": en})
    else:
        for message in error.messages:
            th, en = _split(message)
            details.append({"field": None, "message_th": th, "message_en": en})
    first = details[0] if details else {"field": None, "message_th": "", "message_en": ""}
    return body(400, "refused", "; ".join(d["message_th"] for d in details),
                "; ".join(d["message_en"] for d in details), first["field"], details if len(details) > 1 else [])


def invalid(error: SchemaError) -> dict:
    """Input that does not fit the schema (wrong type, missing field, out of range)."""
    details = []
    for e in error.errors:
        loc = [str(p) for p in e.get("loc", ())]
        if loc and loc[0] in ("body", "query", "path"):
            loc = loc[2:] if loc[0] == "body" else loc[1:]  # a body's location names the parameter first
        field = ".".join(loc) or None
        msg = e.get("msg", "")
        details.append({"field": field, "message_th": f"{field or 'ข้อมูล'}: ไม่ถูกต้อง ({msg})",
                        "message_en": f"{field or 'input'}: {msg}"})
    first = details[0] if details else {"field": None, "message_th": "ข้อมูลไม่ถูกต้อง", "message_en": "Invalid input"}
    return body(422, "invalid", first["message_th"], first["message_en"], first["field"], details)


def install(api) -> None:
    """Register the handlers on the NinjaAPI."""

    def handler(status, make):
        def handle(request, exc):
            return api.create_response(request, make(exc), status=status)
        return handle

    api.add_exception_handler(AuthenticationError, handler(401, lambda e: _fixed(401)))
    api.add_exception_handler(PermissionDenied, handler(403, lambda e: _fixed(403)))
    api.add_exception_handler(Http404, handler(404, lambda e: _fixed(404)))
    api.add_exception_handler(ValidationError, handler(400, refusal))
    api.add_exception_handler(SchemaError, handler(422, invalid))

    def limited(request, exc: RateLimited):
        response = api.create_response(request, _fixed(429), status=429)
        response["Retry-After"] = str(max(1, math.ceil((exc.until - timezone.now()).total_seconds())))
        return response

    api.add_exception_handler(RateLimited, limited)
    api.add_exception_handler(FormRefused, handler(400, _form_refused))


class FormRefused(Exception):  # noqa: N818 — an answer (400), not a programming error
    def __init__(self, details: list[dict]):
        self.details = details


def check_form(make_form, fields: dict[str, str] | None = None) -> dict:
    """Validate the API's input with the same form as the page (its checks and messages), in Thai and in
    English; the cleaned data, or ``FormRefused`` naming each field (``fields`` maps form fields to the
    API's names)."""
    fields = fields or {}
    with translation.override("th"):
        form_th = make_form()
        if form_th.is_valid():
            return form_th.cleaned_data
        errors_th = form_th.errors.get_json_data()
    with translation.override("en"):
        form_en = make_form()
        form_en.is_valid()
        errors_en = form_en.errors.get_json_data()
    details = []
    for name, errors in errors_th.items():
        english = errors_en.get(name, errors)
        for i, e in enumerate(errors):
            th, en = e["message"], english[i]["message"] if i < len(english) else e["message"]
            if th == en:
                th, en = _split(th)  # a service's "Thai / English" message, raised inside the form
            details.append({"field": None if name == "__all__" else fields.get(name, name),
                            "message_th": th, "message_en": en})
    raise FormRefused(details)


def _form_refused(exc: FormRefused) -> dict:
    d = exc.details
    return body(400, "refused", "; ".join(x["message_th"] for x in d), "; ".join(x["message_en"] for x in d),
                d[0]["field"] if d else None, d if len(d) > 1 else [])
