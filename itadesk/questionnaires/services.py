"""Every write of hosted questionnaires. Organisers' writes are one transaction with one audit event;
a respondent's submission writes no audit event on purpose (an event has a time and would date the
response), see docs/questionnaires.md."""

from __future__ import annotations

import hashlib
import ipaddress
import json
import random
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from itadesk.core import audit
from itadesk.core import services as core_services
from itadesk.methodology.schema import iter_items
from itadesk.questionnaires.models import AbuseMark, Flag, Questionnaire, Response, State, Token

#: Instruments answered by respondents (the framework's ``respondents`` internal/external).
RESPONDENT_KINDS = {"internal", "external"}
#: Network flag: this many responses from one network (IPv4 /24, IPv6 /64) in one 10-minute bucket.
NETWORK_FLAG = 10
#: Pattern flag: this many identical complete answer sets on one day.
PATTERN_FLAG = 5
BUCKET_MINUTES = 10
TOKEN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from paper
MAX_TOKENS = 2000


class Refused(core_services.Refused):
    """A refused write, with a message for people (Thai by default, per the active language)."""

    def __init__(self, message: str, *, field_errors: dict | None = None):
        super().__init__(message)
        self.field_errors = field_errors or {}


# --- questions ------------------------------------------------------------------------------------


def instruments_of(framework_data: dict) -> list[dict]:
    return [ins for ins in framework_data.get("instruments", []) if ins.get("respondents") in RESPONDENT_KINDS]


def _instrument(framework_data: dict, code: str) -> dict | None:
    return next((ins for ins in instruments_of(framework_data) if ins["code"] == code), None)


def draft_questions(framework_data: dict, instrument: str, custom_texts: dict | None = None) -> list[dict]:
    """The questions of an instrument as respondents see them: one entry per item (in ITAS order) with
    its answer columns (the item itself, or its sub-questions), wording and options. Wording the
    framework does not know is taken from ``custom_texts`` (code → text); still unknown: ``None``."""
    custom = custom_texts or {}
    scales = framework_data.get("scales", {})
    out = []
    for ins, ind, _sub, item in iter_items(framework_data):
        if ins["code"] != instrument:
            continue

        def options(scale_name):
            return [{"value": o["value"], "label": o.get("label_th") or str(o["value"])}
                    for o in scales[scale_name]["options"]]

        text = item.get("text_th") or (custom.get(item["code"]) or "").strip() or None
        subs = item.get("subquestions") or []
        if subs:
            columns = [{"code": sq["code"],
                        "text": sq.get("text_th") or (custom.get(sq["code"]) or "").strip() or None,
                        "options": options(sq.get("scale") or item["scale"])} for sq in subs]
        else:
            columns = [{"code": item["code"], "text": "", "options": options(item["scale"])}]
        out.append({"item": item["code"], "indicator": str(ind["code"]), "indicator_name": ind.get("name_th") or "",
                    "text": text, "note": item.get("note_th") or "", "optional": bool(item.get("not_applicable")),
                    "columns": columns})
    return out


def missing_wording(questions: list[dict]) -> list[str]:
    """Codes of items and sub-questions that still have no wording."""
    missing = []
    for q in questions:
        if q["text"] is None:
            missing.append(q["item"])
        missing += [c["code"] for c in q["columns"] if c["text"] is None]
    return missing


def columns(questions: list[dict]) -> list[dict]:
    return [c for q in questions for c in q["columns"]]


def parse_answers(questions: list[dict], data) -> tuple[dict, list[str]]:
    """Posted form data → (answers ``{column: value}``, error messages naming each question)."""
    answers, errors = {}, []
    for field, code, label, optional, values in _answer_fields(questions):
        raw = (data.get(field) or "").strip()
        if not raw:
            if not optional:
                errors.append(_("Question %(code)s: please choose an answer.") % {"code": label})
            continue
        if raw not in values:
            errors.append(_("Question %(code)s: '%(value)s' is not one of the answers.")
                          % {"code": code, "value": raw[:40]})
            continue
        answers[code] = values[raw]
    return answers, errors


_FIELDS: dict[int, tuple] = {}


def _answer_fields(questions: list[dict]) -> tuple:
    """Per answer column: (form field, code, label in messages, optional, {posted text: value}). Kept
    per question list (frozen once published), so a submission does not rebuild it."""
    found = _FIELDS.get(id(questions))
    if found is not None and found[0] is questions:
        return found[1]
    fields = tuple(
        (f"a-{col['code']}", col["code"], col["code"] if col["code"] == q["item"] else f"{col['code']} {col['text']}",
         q["optional"], {str(o["value"]): o["value"] for o in col["options"]})
        for q in questions for col in q["columns"])
    if len(_FIELDS) > 200:
        _FIELDS.clear()
    _FIELDS[id(questions)] = (questions, fields)
    return fields


# --- organisers -----------------------------------------------------------------------------------


def _snap(q: Questionnaire) -> dict:
    return audit.snapshot(q, ["state", "opens_at", "closes_at", "uses_tokens", "custom_texts"])


def create_questionnaire(*, actor, round, agency, instrument: str) -> tuple[Questionnaire, bool]:
    if round.framework_id is None:
        raise Refused(_("The round has no framework yet: the committee secretariat chooses it first."))
    found = _instrument(round.framework.data, instrument)
    if found is None:
        raise Refused(_("The round's framework has no questionnaire %(code)s.") % {"code": instrument})
    with transaction.atomic():
        q, created = Questionnaire.objects.get_or_create(
            round=round, agency=agency, instrument=instrument,
            defaults={"created_by": actor if getattr(actor, "pk", None) else None, "respondents": found["respondents"],
                      "framework_label": round.framework.label})
        if created:
            audit.record(actor=actor, action="questionnaire.create", obj=q, after=_snap(q))
    return q, created


def _locked(q: Questionnaire) -> Questionnaire:
    return Questionnaire.objects.order_by().select_for_update(of=("self",)).get(pk=q.pk)


def save_settings(*, actor, questionnaire: Questionnaire, opens_at, closes_at, uses_tokens: bool | None = None,
                  custom_texts: dict | None = None) -> Questionnaire:
    """Times may change until the questionnaire closes; tokens and wording only in draft."""
    with transaction.atomic():
        q = _locked(questionnaire)
        if q.effective_state() == State.CLOSED:
            raise Refused(_("The questionnaire is closed; nothing can be changed."))
        if opens_at and closes_at and closes_at <= opens_at:
            raise Refused(_("The closing time must be after the opening time."),
                          field_errors={"closes_at": _("must be after the opening time")})
        before = _snap(q)
        q.opens_at, q.closes_at = opens_at, closes_at
        if q.state == State.DRAFT:
            if uses_tokens is not None:
                q.uses_tokens = bool(uses_tokens)
            if custom_texts is not None:
                q.custom_texts = {k: v.strip() for k, v in custom_texts.items() if v and v.strip()}
        q.save()
        audit.record(actor=actor, action="questionnaire.settings", obj=q, before=before, after=_snap(q))
    questionnaire.refresh_from_db()
    return q


def publish(*, actor, questionnaire: Questionnaire, now=None) -> Questionnaire:
    """draft → published: the questions (wording, options, order) are frozen into the row."""
    now = now or timezone.now()
    with transaction.atomic():
        q = _locked(questionnaire)
        if q.state != State.DRAFT:
            raise Refused(_("Only a draft can be published."))
        framework = q.round.framework
        if framework is None:
            raise Refused(_("The round has no framework yet: the committee secretariat chooses it first."))
        questions = draft_questions(framework.data, q.instrument, q.custom_texts)
        missing = missing_wording(questions)
        if missing:
            raise Refused(_("Cannot publish: the framework has no wording for %(codes)s. Enter the wording of "
                            "these questions first.") % {"codes": ", ".join(missing)})
        if not questions:
            raise Refused(_("The framework has no questions for %(code)s.") % {"code": q.instrument})
        if q.closes_at is None:
            raise Refused(_("Set the closing time before publishing."))
        if q.closes_at <= now:
            raise Refused(_("The closing time has already passed."))
        before = _snap(q)
        q.questions = questions
        q.framework_label = framework.label
        q.state = State.PUBLISHED
        q.published_at = now
        q.salt = secrets.token_hex(32)
        q.save()
        audit.record(actor=actor, action="questionnaire.publish", obj=q, before=before,
                     after={**_snap(q), "questions": len(columns(questions))})
    questionnaire.refresh_from_db()
    return q


def network_flags(q: Questionnaire) -> list[dict]:
    """Live network flags: 10-minute buckets with many responses from one network (no hash shown)."""
    rows = (AbuseMark.objects.filter(questionnaire=q, count__gte=NETWORK_FLAG).values("bucket", "count")
            .order_by("bucket", "-count"))
    return [{"starts_at": bucket_start(r["bucket"]), "count": r["count"]} for r in rows]


def bucket_of(now) -> int:
    return int(now.timestamp()) // 60 // BUCKET_MINUTES


def bucket_start(bucket: int):
    import datetime as dt

    return dt.datetime.fromtimestamp(bucket * BUCKET_MINUTES * 60, tz=dt.UTC)


def close(*, actor, questionnaire: Questionnaire, now=None) -> bool:
    """published → closed. Network flags are kept (counts and times only), the abuse marks deleted and
    the salt discarded, the tokens reduced to a count, and the responses rewritten in a random order
    in this one transaction (so neither their physical order nor their transaction ids tell arrival
    order any more). Returns False when it was already closed."""
    now = now or timezone.now()
    with transaction.atomic():
        q = _locked(questionnaire)
        if q.state == State.CLOSED:
            return False
        if q.state == State.DRAFT:
            raise Refused(_("A draft cannot be closed; publish it first."))
        before = _snap(q)
        Flag.objects.bulk_create([Flag(questionnaire=q, kind=Flag.Kind.NETWORK, starts_at=f["starts_at"],
                                       count=f["count"]) for f in network_flags(q)])
        AbuseMark.objects.filter(questionnaire=q).delete()
        q.tokens_used_at_close = Token.objects.filter(questionnaire=q, used=True).count()
        Token.objects.filter(questionnaire=q).delete()
        rows = list(Response.objects.filter(questionnaire=q).values_list("day", "answers"))
        random.SystemRandom().shuffle(rows)
        Response.objects.filter(questionnaire=q).delete()
        Response.objects.bulk_create([Response(questionnaire=q, day=d, answers=a) for d, a in rows], batch_size=500)
        q.state = State.CLOSED
        q.released_answers, q.released_count = [], 0  # closed: every response is shown
        q.closed_at = now
        q.salt = ""
        q.save()
        audit.record(actor=actor, action="questionnaire.close", obj=q, before=before,
                     after={**_snap(q), "responses": len(rows)})
    questionnaire.refresh_from_db()
    return True


def release_k() -> int:
    """How many new responses make a new release of an open questionnaire's results (at least 2)."""
    return max(2, int(getattr(settings, "ITADESK_QUESTIONNAIRE_RELEASE_K", 5)))


def release_if_due(questionnaire: Questionnaire, now=None) -> bool:
    """Results of an open questionnaire move only in batches: when at least k responses have come in
    since the last release, all responses stored now become the new release (their answers, sorted by
    answer). Between releases the results page and the export show the last release, so comparing two
    of them never isolates fewer than k responses. Called by the organisers' pages before they read.

    The released responses are also rewritten, in a random order, with new random ids, in this one
    transaction (by id: a response arriving meanwhile is neither read nor touched), so on PostgreSQL
    their physical order and transaction ids no longer tell arrival order or pair them with the abuse
    counters written by their submissions (see docs/questionnaires.md, "Threat model")."""
    if questionnaire.effective_state(now) != State.PUBLISHED:
        return False
    k = release_k()
    if Response.objects.filter(questionnaire=questionnaire).count() - questionnaire.released_count < k:
        return False
    with transaction.atomic():
        # FOR NO KEY UPDATE: serialises releases but does not wait for, or hold up, submissions
        q = Questionnaire.objects.order_by().select_for_update(of=("self",), no_key=True).get(pk=questionnaire.pk)
        stored = list(Response.objects.filter(questionnaire=q).values_list("pk", "day", "answers"))
        if q.state != State.PUBLISHED or len(stored) - q.released_count < k:
            return False
        random.SystemRandom().shuffle(stored)
        Response.objects.filter(pk__in=[pk for pk, _d, _a in stored]).delete()
        Response.objects.bulk_create([Response(questionnaire=q, day=d, answers=a) for _pk, d, a in stored],
                                     batch_size=500)
        rows = sorted((a for _pk, _d, a in stored), key=pattern_key)
        before = q.released_count
        q.released_answers, q.released_count = rows, len(rows)
        q.save(update_fields=["released_answers", "released_count"])
        audit.record(actor=None, action="questionnaire.release", obj=q, before={"released": before},
                     after={"released": len(rows)})
    questionnaire.released_answers, questionnaire.released_count = q.released_answers, q.released_count
    return True


def released_answers(q: Questionnaire) -> list[dict]:
    """The answers the organisers' pages may show: all of a closed questionnaire's, else the last release."""
    if q.state == State.CLOSED:
        return list(Response.objects.filter(questionnaire=q).values_list("answers", flat=True))
    return list(q.released_answers)


def close_if_due(questionnaire: Questionnaire, now=None) -> bool:
    """Close a published questionnaire whose closing time has passed (called on every visit)."""
    if questionnaire.state == State.PUBLISHED and questionnaire.effective_state(now) == State.CLOSED:
        return close(actor=None, questionnaire=questionnaire, now=now)
    return False


def _token_hash(token: str) -> str:
    return hashlib.sha256(normalise_token(token).encode()).hexdigest()


def normalise_token(token: str) -> str:
    return "".join(ch for ch in (token or "").upper() if ch.isalnum())


def issue_tokens(*, actor, questionnaire: Questionnaire, count: int) -> list[str]:
    """New one-time tokens (shown once: only their hashes are stored)."""
    if not 1 <= count <= MAX_TOKENS:
        raise Refused(_("Number of tokens: from 1 to %(max)s.") % {"max": MAX_TOKENS})
    with transaction.atomic():
        q = _locked(questionnaire)
        if not q.uses_tokens:
            raise Refused(_("This questionnaire does not use one-time tokens."))
        if q.effective_state() == State.CLOSED:
            raise Refused(_("The questionnaire is closed; nothing can be changed."))
        tokens = ["".join(secrets.choice(TOKEN_ALPHABET) for _ in range(10)) for _ in range(count)]
        Token.objects.bulk_create([Token(questionnaire=q, token_hash=_token_hash(t)) for t in tokens])
        q.tokens_issued += count
        q.save(update_fields=["tokens_issued"])
        audit.record(actor=actor, action="questionnaire.tokens", obj=q, after={"issued": count})
    questionnaire.refresh_from_db()
    return [f"{t[:5]}-{t[5:]}" for t in tokens]


# --- respondents ------------------------------------------------------------------------------------


def network_of(ip: str) -> str:
    try:
        addr = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return "unknown"
    prefix = 24 if addr.version == 4 else 64
    return str(ipaddress.ip_network(f"{addr}/{prefix}", strict=False))


@dataclass
class Submitted:
    response_id: object


def submit_response(*, questionnaire: Questionnaire, answers: dict, ip: str, token: str = "",
                    now=None) -> Submitted:
    """Store one anonymous response. In one transaction: the token (if used) is marked used, the
    response row inserted, one abuse mark inserted; none of the three refers to another. The
    questionnaire must still be open in the database when the rows go in: a submission that races
    the closing is refused, never stored after the responses were shuffled."""
    now = now or timezone.now()
    if not questionnaire.is_open(now):
        raise Refused(_("The questionnaire is not open."))
    if not questionnaire.uses_tokens and connection.vendor == "postgresql":
        stored = store_if_open(questionnaire_id=questionnaire.pk, salt=questionnaire.salt, answers=answers, ip=ip, now=now)
        if stored is None:
            raise Refused(_("The questionnaire is not open."))
        return stored
    with transaction.atomic():
        if questionnaire.uses_tokens:
            code = normalise_token(token)
            if not code:
                raise Refused(_("Enter the one-time code you were given."), field_errors={"token": True})
            updated = Token.objects.filter(questionnaire=questionnaire, token_hash=_token_hash(code),
                                           used=False).update(used=True)
            if updated != 1:
                raise Refused(_("This one-time code is not valid or has already been used."),
                              field_errors={"token": True})
        mark = _network_mark(questionnaire.salt, ip)
        if not _still_open(questionnaire, now):
            raise Refused(_("The questionnaire is not open."))
        response = Response.objects.create(questionnaire=questionnaire, day=timezone.localdate(now),
                                           answers=answers)
        with connection.cursor() as cur:
            cur.execute(_count_mark_sql(), [questionnaire.pk, mark, bucket_of(now)])
    return Submitted(response.pk)


def _count_mark_sql() -> str:
    """One more response from this network in this bucket: the counter is created or incremented in
    place (an upsert, on SQLite and PostgreSQL alike), never a row per response."""
    qn = connection.ops.quote_name
    table = qn(AbuseMark._meta.db_table)
    return (f"INSERT INTO {table} (questionnaire_id, network_hash, bucket, {qn('count')}) VALUES (%s, %s, %s, 1) "
            f"ON CONFLICT (questionnaire_id, network_hash, bucket) DO UPDATE SET {qn('count')} = "
            f"{table}.{qn('count')} + 1")


def _still_open(q: Questionnaire, now) -> bool:
    """The questionnaire row is still open; on PostgreSQL it stays locked against closing (``FOR KEY
    SHARE``, which other submissions share) until this transaction ends."""
    from django.db.models import Q

    found = (Questionnaire.objects.order_by().filter(pk=q.pk, state=State.PUBLISHED)
             .filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now))
             .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now)).values_list("pk"))
    if connection.vendor != "postgresql":
        return found.exists()
    sql, params = found.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute(f"{sql} FOR KEY SHARE", params)
        return cur.fetchone() is not None


_ONE_STATEMENT = None


def _one_statement_sql() -> str:
    """PostgreSQL: the response row and the abuse mark's counter in one statement (one round trip, atomic on its
    own), inserted only if the questionnaire row is open. ``FOR KEY SHARE`` waits for a closing in
    progress and then sees it (the row is checked again after the wait), so nothing slips in after
    the shuffle; it does not block other submissions."""
    global _ONE_STATEMENT
    if _ONE_STATEMENT is None:
        qn = connection.ops.quote_name
        _ONE_STATEMENT = (
            f"WITH q AS (SELECT id FROM {qn(Questionnaire._meta.db_table)} WHERE id = %(q)s "
            f"AND state = %(published)s AND (opens_at IS NULL OR opens_at <= %(now)s) "
            f"AND (closes_at IS NULL OR closes_at > %(now)s) FOR KEY SHARE), "
            f"r AS (INSERT INTO {qn(Response._meta.db_table)} (id, questionnaire_id, day, answers) "
            f"SELECT %(id)s::uuid, q.id, %(day)s::date, %(answers)s::jsonb FROM q RETURNING questionnaire_id) "
            f"INSERT INTO {qn(AbuseMark._meta.db_table)} AS m (questionnaire_id, network_hash, bucket, "
            f"{qn('count')}) SELECT r.questionnaire_id, %(mark)s, %(bucket)s, 1 FROM r "
            f"ON CONFLICT (questionnaire_id, network_hash, bucket) DO UPDATE SET {qn('count')} = "
            f"m.{qn('count')} + 1")
    return _ONE_STATEMENT


def _network_mark(salt: str, ip: str) -> str:
    return hashlib.sha256(f"{salt}|{network_of(ip)}".encode()).hexdigest()


def _bound_cursor():
    """A cursor of Django's PostgreSQL connection that sends parameters apart from the statement
    (Django's own ``ServerBindingCursor``, wrapped as ``connection.cursor()`` wraps its cursors: thread
    check, error translation, query log in DEBUG). Django's default cursor writes every parameter into
    the statement's text on the client, which for a response's answers costs more CPU than the rest of
    the submission; binding on the server does not. Prepared statements follow the connection's
    setting (Django's default: none, so poolers in transaction mode keep working)."""
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        raw = ServerBindingCursor(connection.connection)
    return connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)


def store_if_open(*, questionnaire_id: int, salt: str, answers: dict, ip: str, now) -> Submitted | None:
    """PostgreSQL, questionnaires without tokens: the response and its abuse mark in one statement,
    stored only if the questionnaire is open in the database at that moment (``None`` otherwise).
    ``answers`` must have been checked (``parse_answers``) against the frozen questions; ``salt`` is
    the questionnaire's (set at publication, never changed while it is open)."""
    response_id = uuid.uuid4()
    with _bound_cursor() as cur:
        cur.execute(_one_statement_sql(), {"q": questionnaire_id, "published": State.PUBLISHED, "now": now,
                                           "id": str(response_id), "day": timezone.localdate(now),
                                           "answers": json.dumps(answers), "mark": _network_mark(salt, ip),
                                           "bucket": bucket_of(now)})
        stored = cur.rowcount
    return Submitted(response_id) if stored == 1 else None


def pattern_key(answers: dict) -> str:
    return json.dumps(answers, sort_keys=True, ensure_ascii=False)
