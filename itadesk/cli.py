"""The ``itadesk`` console command: Django's manage.py under a shorter name, plus our own commands
(``itadesk demo``, ``itadesk serve``, ``itadesk agencies import FILE`` …)."""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itadesk.settings")
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["itadesk", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
