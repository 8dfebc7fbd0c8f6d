"""The API's stories: each role calls with a token of its own."""

import pytest
from django.test import Client

from api.services import issue_token

ROLES = ("finance_staff", "other_staff", "economy_head", "welfare_head", "mayors_office")


class ApiClient:
    """The test client with a person's token on every call (none for anonymous)."""

    def __init__(self, raw: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {raw}"} if raw else {}

    def get(self, path, data=None, **kwargs):
        return self.client.get(path, data, headers=self.headers, **kwargs)

    def patch(self, path, body):
        return self.client.patch(path, body, content_type="application/json", headers=self.headers)

    def post(self, path, body):
        return self.client.post(path, body, content_type="application/json", headers=self.headers)


@pytest.fixture
def api_for(city):
    def make(role: str) -> ApiClient:
        if role == "anonymous":
            return ApiClient(None)
        return ApiClient(issue_token(user=getattr(city, role), name="test").raw)

    return make
