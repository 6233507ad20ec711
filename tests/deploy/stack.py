"""Helpers shared by the deploy tests: load deploy/render.py (a standalone script, not part of the
``itadesk`` package), read the generated units and settings file as systemd would."""

from __future__ import annotations

import configparser
import importlib.util
import shlex
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def load_render():
    spec = importlib.util.spec_from_file_location("itadesk_deploy_render", DEPLOY / "render.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while the class is created
    spec.loader.exec_module(module)
    return module


def parse_unit(text: str) -> configparser.ConfigParser:
    """A unit file as INI (systemd's syntax is a subset: sections, key=value, # comments)."""
    parser = configparser.ConfigParser(interpolation=None, strict=True, delimiters=("=",),
                                       comment_prefixes=("#", ";"))
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(text)
    return parser


def exec_start(unit_text: str, instance: str = "") -> list[str]:
    """The ExecStart= command line of a unit, split as systemd splits it (%i: the instance name)."""
    line = parse_unit(unit_text)["Service"]["ExecStart"]
    return shlex.split(line.replace("%i", instance))


def read_env_file(text: str) -> dict[str, str]:
    """KEY=value lines as systemd's EnvironmentFile= reads our (unquoted) settings file."""
    env = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        key, sep, value = line.partition("=")
        assert sep, f"not KEY=value: {raw!r}"
        env[key.strip()] = value.strip()
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
