from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "itadesk.surveys"
    verbose_name = _("Stakeholders and IIT/EIT follow-up")
