"""The service kernel: applying changes, the refusal every service raises, the view helper that runs a service,
and the append-only logs."""

import types

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from itadesk.committee import services as committee_services
from itadesk.committee.models import ActionUpdate, MinutesEvent
from itadesk.core.models import AppendOnly, AppendOnlyLog, AppendOnlyQuerySet
from itadesk.core.services import Refused, actor_user, apply_changes, refusal_text
from itadesk.core.views import run_service
from itadesk.evidence.models import EvidenceEvent
from itadesk.evidence.workflow import TransitionRefused
from itadesk.questionnaires import services as questionnaire_services
from itadesk.surveys.models import StakeholderEvent

FIELDS = ["title", "office_id", "due_date"]


@given(st.dictionaries(st.sampled_from(["title", "office_id", "office", "due_date", "other"]), st.integers()))
def test_apply_changes_sets_only_the_named_fields(changes):
    obj = types.SimpleNamespace(title="t", office_id=0, office=None, due_date=None, other="kept")
    before = dict(vars(obj))
    apply_changes(obj, changes, FIELDS)
    for name, value in vars(obj).items():
        if name in changes and (name in FIELDS or f"{name}_id" in FIELDS) and not (
                name == "office" and "office_id" in changes):
            assert value == changes[name], name
        else:
            assert value == before[name], name


def test_a_foreign_key_by_id_wins_over_the_object():
    obj = types.SimpleNamespace(office_id=1, office=None)
    apply_changes(obj, {"office_id": 2, "office": "x"}, ["office_id"])
    assert (obj.office_id, obj.office) == (2, None)
    apply_changes(obj, {"office": "y"}, ["office_id"])
    assert obj.office == "y"


def test_actor_user_is_none_for_the_system():
    assert actor_user(None) is None
    assert actor_user(types.SimpleNamespace(pk=None)) is None
    someone = types.SimpleNamespace(pk=5)
    assert actor_user(someone) is someone


def test_a_refusal_speaks_the_readers_language_and_names_its_field():
    with translation.override("en"):
        refusal = Refused("ไม่ได้", "not allowed")
        assert refusal.messages == ["not allowed"] and refusal_text(refusal) == "not allowed"
    with translation.override("th"):
        assert refusal_text(refusal) == "ไม่ได้"
        on_field = Refused("ต้องมีชื่อ", "a name is needed", field="name")
        assert on_field.message_dict == {"name": ["ต้องมีชื่อ"]}
    assert isinstance(refusal, ValidationError)
    one = Refused("already translated")
    assert (one.th, one.en, one.field) == ("already translated", "already translated", None)


def test_a_refusal_of_one_message_is_rendered_in_both_languages():
    class Named:  # a value whose name depends on the language, as a round's does
        def __str__(self):
            return "FY2570" if translation.get_language() == "en" else "ปีงบประมาณ 2570"

    for active in ("th", "en"):
        with translation.override(active):
            refusal = Refused.of(gettext_lazy("Date: %(d)s is in the future."), field="on_date", d=Named())
            assert (refusal.th, refusal.en) == ("วันที่: ปีงบประมาณ 2570 ยังมาไม่ถึง", "Date: FY2570 is in the future.")
            assert refusal.message_dict == {"on_date": [refusal.en if active == "en" else refusal.th]}
    plain = Refused.of(gettext_lazy("The stakeholder data is not locked."))
    assert plain.en == "The stakeholder data is not locked." and plain.th != plain.en and plain.field is None


def test_the_old_refusals_are_refusals():
    for cls in (committee_services.TransitionRefused, TransitionRefused, questionnaire_services.Refused):
        assert issubclass(cls, Refused) and issubclass(cls, ValidationError)
    refused = questionnaire_services.Refused("closed", field_errors={"token": True})
    assert refused.message == "closed" and refused.field_errors == {"token": True}


def _request():
    request = RequestFactory().post("/somewhere/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _messages(request):
    return [(m.level_tag, str(m)) for m in get_messages(request)]


def test_run_service_says_how_it_went_and_redirects():
    request = _request()
    response = run_service(request, lambda: 3, success=lambda n: f"{n} done", redirect_to=lambda n: f"/after/{n}/")
    assert response.status_code == 302 and response.url == "/after/3/"
    assert _messages(request) == [("success", "3 done")]
    request = _request()
    response = run_service(request, lambda: None, redirect_to="/plain/")
    assert response.url == "/plain/" and _messages(request) == []
    made = HttpResponseRedirect("/made/")
    assert run_service(_request(), lambda: None, redirect_to=lambda _r: made) is made


def test_run_service_shows_a_refusal_and_goes_where_told():
    def refuse():
        raise ValidationError(["first", "second"])

    request = _request()
    response = run_service(request, refuse, success="never", redirect_to="/after/", refused_to="/back/")
    assert response.url == "/back/" and _messages(request) == [("error", "first second")]
    request = _request()
    response = run_service(request, refuse, success="never", redirect_to="/after/", sep="; ")
    assert response.url == "/after/" and _messages(request) == [("error", "first; second")]


def test_run_service_puts_a_refusal_on_the_form():
    class NameForm(forms.Form):
        name = forms.CharField()

    def refuse():
        raise Refused("ชื่อซ้ำ", "the name is taken", field="name")

    form = NameForm({"name": "x"})
    assert form.is_valid()
    request = _request()
    with translation.override("en"):
        assert run_service(request, refuse, success="never", redirect_to="/after/", form=form) is None
    assert form.errors == {"name": ["the name is taken"]} and _messages(request) == []


@pytest.mark.parametrize("model", [MinutesEvent, ActionUpdate, EvidenceEvent, StakeholderEvent])
def test_every_log_is_an_append_only_log(model):
    assert issubclass(model, AppendOnlyLog)
    assert model.append_only_message
    assert issubclass(AppendOnly, ValidationError) and issubclass(AppendOnly, ValueError)
    assert issubclass(model._meta.default_manager._queryset_class, AppendOnlyQuerySet)
