"""``itadesk serve``: run ITA Desk with a production WSGI server (waitress) and, beside it, the
background job worker (Huey) that sends reminders."""

import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand
from django.core.servers.basehttp import get_internal_wsgi_application


class Command(BaseCommand):
    help = "Run the web app (waitress) and the job worker (Huey consumer)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-worker", action="store_true", help="do not start the job worker")

    def handle(self, *args, host, port, threads, no_worker, **opts):
        from waitress import serve

        def stop(signum, frame):  # systemd, docker and kill send SIGTERM: stop as Ctrl+C would
            raise SystemExit(0)

        previous = signal.signal(signal.SIGTERM, stop)
        worker = None
        try:
            if not no_worker and not settings.HUEY.get("immediate"):
                worker = subprocess.Popen([sys.executable, "-m", "itadesk.cli", "run_huey", "--quiet"])
            self.stdout.write(f"ITA Desk: http://{host}:{port}/  (Ctrl+C to stop)")
            # settings.WSGI_APPLICATION (itadesk.wsgi: the lean questionnaire path in front of Django), loaded
            # as runserver loads it, so core does not import the project module.
            serve(get_internal_wsgi_application(), host=host, port=port, threads=threads, ident="ITA Desk")
        finally:
            signal.signal(signal.SIGTERM, previous)
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
