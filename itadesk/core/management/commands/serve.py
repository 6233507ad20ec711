"""``itadesk serve``: run ITA Desk with a production WSGI server (waitress) and, beside it, the
background job worker (Huey) that sends reminders.

Stopping. SIGINT (Ctrl+C) and SIGTERM (systemd, docker, kill) both stop the server, whenever they come:
the handlers are installed here whatever the launcher left (a command started with ``&`` from a script
inherits SIGINT *ignored*, and waitress relies on Python's default handler, so such a server used to go on
serving through every SIGINT). While the worker is being started or stopped a signal is only noted and
acted on right after, so it can never leave a worker running behind the server. The worker stops itself
when this process is gone, however it ended (SIGKILL, the OOM killer, a crash): ``itadesk/cli.py`` reads
``STOP_WITH_PARENT``."""

import logging
import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand
from django.core.servers.basehttp import get_internal_wsgi_application

# Set in the worker's environment to this process's id; itadesk/cli.py (which no app may import) reads it.
STOP_WITH_PARENT = "ITADESK_STOP_WITH_PARENT"
WORKER_STOP_SECONDS = 10


class _StopRequest:
    """The SIGINT/SIGTERM handler: ends the server by raising SystemExit(0) in the main thread (waitress's
    loop catches it and shuts its threads down), unless ``deferred``, where the signal is only noted."""

    def __init__(self):
        self.signum = None
        self.deferred = False

    def __call__(self, signum, frame):
        self.signum = signum
        if not self.deferred:
            raise SystemExit(0)

    def allow(self):
        """Leave a deferred section: a signal noted during it takes effect now."""
        self.deferred = False
        if self.signum is not None:
            raise SystemExit(0)


def _start_worker():
    env = {**os.environ, STOP_WITH_PARENT: str(os.getpid())}
    # From the main thread: on Linux the worker's parent-death signal follows the thread that forked it.
    return subprocess.Popen([sys.executable, "-m", "itadesk.cli", "run_huey", "--quiet"], env=env)


def _stop_worker(worker):
    worker.terminate()
    try:
        worker.wait(timeout=WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


class Command(BaseCommand):
    help = "Run the web app (waitress) and the job worker (Huey consumer)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000, help="0: any free port (the line printed names it)")
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-worker", action="store_true", help="do not start the job worker")

    def handle(self, *args, host, port, threads, no_worker, **opts):
        from waitress import create_server

        stop = _StopRequest()
        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        worker = None
        try:
            logging.basicConfig()  # as waitress.serve does: its warnings reach stderr (a no-op once configured)
            # settings.WSGI_APPLICATION (itadesk.wsgi: the lean questionnaire path in front of Django), loaded
            # as runserver loads it, so core does not import the project module. Bound before the worker
            # starts: a port in use stops here, with no worker to clean up.
            server = create_server(get_internal_wsgi_application(), host=host, port=port, threads=threads,
                                   ident="ITA Desk")
            if not no_worker and not settings.HUEY.get("immediate"):
                stop.deferred = True  # a signal inside Popen would lose the started child (worker still None)
                worker = _start_worker()
                stop.allow()
            port = getattr(server, "effective_port", port)  # one socket: the port bound (--port 0)
            self.stdout.write(f"ITA Desk: http://{host}:{port}/  (Ctrl+C to stop)")
            self.stdout.flush()
            server.run()
        finally:
            stop.deferred = True  # a second signal must not skip stopping the worker
            if worker is not None:
                _stop_worker(worker)
            for sig, handler in previous.items():
                if handler is not None:  # None: set outside Python, cannot be put back
                    signal.signal(sig, handler)
