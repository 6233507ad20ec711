"""WSGI entry point (gunicorn ``itadesk.wsgi:application``): Django, with the lean path for the public
questionnaire pages in front of it (``itadesk/questionnaires/lean.py``: ``/q/<id>/`` and its thanks
page; every other request goes to Django unchanged)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itadesk.settings")
django_application = get_wsgi_application()

from itadesk.questionnaires.lean import LeanPublicPages  # noqa: E402 - needs Django set up

application = LeanPublicPages(django_application)
