"""The service kernel every app's services share: applying a form's changes to a row, the user an audit event
names, and :class:`Refused`, the one refusal a service raises (Thai and English text, and the field it concerns).

The view side is :func:`itadesk.core.views.run_service`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import get_language, override


def apply_changes(obj, changes: dict, fields: list[str]) -> None:
    """Set on ``obj`` those of ``fields`` that ``changes`` names. A foreign key may be given by its id
    (``office_id``) or by the object (``office``)."""
    for name in fields:
        key = name[:-3] if name.endswith("_id") and name not in changes else name
        if name in changes:
            setattr(obj, name, changes[name])
        elif key in changes:
            setattr(obj, key, changes[key])


def actor_user(actor):
    """The user to store as who did it, or None for the system (the command line, a scheduled task)."""
    return actor if getattr(actor, "pk", None) else None


class Refused(ValidationError):  # noqa: N818 — a refusal, not a programming error
    """A write the service refuses, with the reason in Thai and in English and, optionally, the form field it
    concerns. A ``ValidationError``, so forms and views that show validation errors show it too.

    Raised with one text (already in the reader's language, e.g. from ``gettext``) it carries that text as both.
    """

    def __init__(self, th: str, en: str | None = None, *, field: str | None = None):
        self.th, self.en, self.field = th, (th if en is None else en), field
        text = self.text()
        super().__init__({field: [text]} if field else text)

    def text(self) -> str:
        """The reason in the active language."""
        return self.en if (get_language() or "th").startswith("en") else self.th

    @classmethod
    def of(cls, message, *, field: str | None = None, **params) -> Refused:
        """A refusal from one translatable message (``gettext_lazy``) and its ``%(name)s`` values, rendered in
        Thai and in English — so that the API, which answers in both, says each: a model instance among the
        values is named in each language too."""
        def render(language: str) -> str:
            with override(language):
                values = {k: v if isinstance(v, int | float) else str(v) for k, v in params.items()}
                return str(message) % values if params else str(message)
        return cls(render("th"), render("en"), field=field)


def refusal_text(error: ValidationError, sep: str = " ") -> str:
    """A service's refusal as one line for a message: a :class:`Refused` in the active language, any other
    ``ValidationError`` its messages joined."""
    if isinstance(error, Refused) and not error.field:
        return error.text()
    return sep.join(error.messages)
