from django.contrib import admin

from itadesk.core.admin import ReadOnlyAdmin
from itadesk.questionnaires.models import Questionnaire


@admin.register(Questionnaire)
class QuestionnaireAdmin(ReadOnlyAdmin):
    """Read-only: questionnaires change through the organisers' pages (with history). Responses,
    tokens and abuse marks are deliberately not in the admin."""

    list_display = ("agency", "instrument", "state", "opens_at", "closes_at")
    list_filter = ("state", "instrument")
    exclude = ("salt",)

