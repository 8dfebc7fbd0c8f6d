"""Schemathesis over the API's own OpenAPI schema: whatever a client sends — in the
schema (positive cases) or not (negative cases: wrong types, out-of-range ids, missing
fields) — the API answers without a server error, with a status code, content type and
body its schema documents. Run against both databases: what reaches the database
differs between them.

Each operation is driven through hypothesis directly (schemathesis' pytest plugin does
not load under this pytest), one operation and generation mode at a time."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from api.services import issue_token
from busan_tracker.wsgi import application
from tests.factories import IndicatorFactory, MilestoneFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 8


@pytest.fixture
def head_token(city):
    # Objects the generated calls can meet: a milestone and an indicator of a task the
    # economy head may change (ids are small, so generated ones hit them now and then).
    MilestoneFactory(task=city.finance_task)
    IndicatorFactory(sector=city.sectors[0], task=city.finance_task)
    return issue_token(user=city.economy_head, name="schemathesis").raw


@pytest.fixture
def connection_kept():
    """Calls go to the WSGI application itself, not through Django's test client: keep
    the test's database connection (and its transaction) open between them, as the
    test client does."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_answers_every_call_within_its_schema(head_token, settings, mode, connection_kept):
    settings.API_RATE_LIMIT = 10**6
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    headers = {"Authorization": f"Bearer {head_token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 15

    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        call()
