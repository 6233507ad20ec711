"""The ``itadesk`` console command: Django's manage.py under a shorter name, plus our own commands
(``itadesk demo``, ``itadesk serve``, ``itadesk agencies import FILE`` …)."""

import ctypes
import os
import signal
import sys
import threading
import time

# ``itadesk serve`` starts its job worker with this set to its own process id
# (core/management/commands/serve.py); "poll" in STOP_WITH_PARENT_BY forces the portable watch (tests).
STOP_WITH_PARENT = "ITADESK_STOP_WITH_PARENT"
STOP_WITH_PARENT_BY = "ITADESK_STOP_WITH_PARENT_BY"
PR_SET_PDEATHSIG = 1


def _parent_death_signal(signum: int) -> bool:
    """Linux: have the kernel send ``signum`` to this process when its parent dies."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, ctypes.c_ulong(signum), ctypes.c_ulong(0), ctypes.c_ulong(0),
                          ctypes.c_ulong(0)) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os.kill(os.getpid(), signal.SIGTERM)


def stop_with_parent() -> None:
    """A process started with STOP_WITH_PARENT=<pid> gets SIGTERM (the Huey worker: stop now) once that
    parent is gone, however it ended (SIGKILL, the OOM killer, a crash): an orphaned worker would go on
    taking jobs, with old code after an upgrade. Popped, so the worker's own children are not affected."""
    parent = os.environ.pop(STOP_WITH_PARENT, "")
    if not parent.isdigit():
        return
    if os.environ.pop(STOP_WITH_PARENT_BY, "") == "poll" or not _parent_death_signal(signal.SIGTERM):
        threading.Thread(target=_watch_parent, args=(int(parent),), name="parent-watch", daemon=True).start()
    if os.getppid() != int(parent):  # gone before the kernel was asked to tell us
        sys.exit(f"itadesk: process {parent}, which started this one, has already ended")


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    stop_with_parent()
    if args[:1] == ["serve"]:  # SIGINT stops a server even if its launcher ignored it (`&`): also while Django loads
        signal.signal(signal.SIGINT, signal.default_int_handler)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itadesk.settings")
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["itadesk", *args])


if __name__ == "__main__":
    main()
