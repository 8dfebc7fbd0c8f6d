"""The error pages are the city's pages too: in Korean (or the reader's language), with
a way home, and never Django's bare English "Forbidden" or "Server Error (500)"."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import translation
from django.views import defaults

from tests.i18n.untranslated import untranslated


@pytest.fixture
def request_(rf: RequestFactory, city):
    request = rf.get("/somewhere/")
    request.user = city.finance_staff
    return request


@pytest.mark.parametrize(
    ("render", "status", "korean", "english"),
    [
        (lambda r: defaults.permission_denied(r, PermissionDenied()), 403, "접근 권한 없음",
         "No access"),
        (lambda r: defaults.bad_request(r, Exception()), 400, "잘못된 요청", "Bad request"),
        (lambda r: defaults.server_error(r), 500, "오류가 발생했습니다", "Something went wrong"),
        (lambda r: defaults.page_not_found(r, Exception()), 404, "페이지를 찾을 수 없습니다",
         "Page not found"),
    ],
    ids=["403", "400", "500", "404"],
)  # fmt: skip
def test_error_pages_speak_the_readers_language(request_, render, status, korean, english):
    with translation.override("ko"):
        response = render(request_)
        html = response.content.decode()
        assert response.status_code == status
        assert korean in html and 'lang="ko"' in html
        assert untranslated(html) == []
    with translation.override("en"):
        assert english in render(request_).content.decode()
