"""Schemathesis against the API's own OpenAPI schema, in-process through the WSGI application, with a token
per role (secretariat, officer, reviewer, agency admin, executive): no 5xx, every status documented, every
body and content type as the schema says.

Path ids are the world's real ones (random ids would only ever meet the 404 of an unknown round); query
parameters and bodies are generated from the schema. Runtime is bounded: ``MAX_EXAMPLES`` per operation and
role (about a minute in all on the development machine, the database set-up included)."""

from __future__ import annotations

import functools

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from itadesk.wsgi import application
from tests.api.kit import token
from tests.api.permission_rules import BODIES
from tests.evidence.oit_world import setup_oit

ROLES = ["secretariat", "local_officer", "reviewer", "admin_a", "exec_a"]
MAX_EXAMPLES = 6
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@functools.cache
def _schema():
    """The schema as the application serves it (loaded and checked once for every role)."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


def _resource(path: str) -> str:
    """The last literal segment of a path: progress, oit, responses."""
    return [part for part in path.split("/") if part and "{" not in part][-1]


VALID_BODIES = {"progress": BODIES["api:v1:set_progress"], "oit": BODIES["api:v1:save_oit_item"],
                "responses": BODIES["api:v1:record_responses"]}


def _ids(w) -> dict:
    return {"round_id": w.round.pk, "agency_id": w.sao1.pk, "milestone_id": w.m1.pk, "code": "o1"}


@pytest.fixture
def keep_test_connection():
    """Django's test client keeps the test's database connection across a request; a WSGI call made directly
    does not: the end of the request closes "old" connections, and inside the test's transaction that closes
    it (on PostgreSQL the test's data goes with it). Do as the test client does while schemathesis calls."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.one_database
@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize("role", ROLES)
@override_settings(ITADESK_API_RATE_PER_MINUTE=0)  # the fuzzer calls far faster than any person's program
def test_no_server_error_and_no_answer_outside_the_schema(world, role, keep_test_connection):
    setup_oit(world)
    secret = token(getattr(world, role))
    schema = _schema()
    ids = _ids(world)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 13
    calls, valid = [], []

    for operation in operations:
        wanted = {p.name for p in operation.path_parameters}
        strategy = operation.as_strategy(path_parameters={k: v for k, v in ids.items() if k in wanted})

        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=strategy)
        def run(case):
            response = case.call(headers={"Authorization": f"Bearer {secret}"})
            calls.append((case.operation.label, response.status_code))
            case.validate_response(response, checks=CHECKS, headers={"Authorization": f"Bearer {secret}"})

        run()
        # Random bodies seldom pass a write's own checks (a known instrument code, a date not in the future):
        # one valid body per write, so that the success answer is checked against the schema too.
        if operation.method.upper() in ("PUT", "POST"):
            case = operation.Case(path_parameters={k: v for k, v in ids.items() if k in wanted},
                                  body=VALID_BODIES[_resource(operation.path)](world),
                                  media_type="application/json")
            response = case.call(headers={"Authorization": f"Bearer {secret}"})
            calls.append((case.operation.label, response.status_code))
            valid.append(response.status_code)
            case.validate_response(response, checks=CHECKS, headers={"Authorization": f"Bearer {secret}"})
    if role in ("secretariat", "admin_a"):  # they may make all three writes
        assert valid == [200, 200, 200], valid
    statuses = {s for _label, s in calls}
    assert statuses & {200}, calls[:20]
    writes = [s for label, s in calls if label.startswith(("PUT", "POST"))]
    assert writes and set(writes) <= {200, 400, 403, 422}, writes
    assert not {s for s in statuses if s >= 500}
