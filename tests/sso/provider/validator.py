"""The claims the provider sends: read from PROVIDER_STATE/people.json at every sign-in,
so a test changes what the directory says (a group left, a bureau moved) between two
sign-ins without restarting the provider."""

import json

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


def people() -> dict:
    return json.loads((settings.STATE / "people.json").read_text())


class CityValidator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "groups": "profile",
        "department": "profile",
    }

    def get_additional_claims(self, request):
        username = request.user.username
        claims = {"preferred_username": username}
        claims.update(people()[username].get("claims", {}))
        return claims
