"""Prints the OIDC_OP_* variables for a provider from its discovery document, for city IT
to paste into /etc/busan/busan.env:

    python manage.py oidc_endpoints https://sso.busan.go.kr/realms/city
"""

import requests
from django.core.management.base import BaseCommand, CommandError

VARIABLES = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


class Command(BaseCommand):
    help = "Prints the OIDC_OP_* settings of an OpenID provider from its discovery document."

    def add_arguments(self, parser):
        parser.add_argument("issuer", help="the provider's issuer address")

    def handle(self, *args, issuer, **options):
        url = issuer.rstrip("/") + "/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=10)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as error:
            raise CommandError(f"could not read {url}: {error}") from error
        missing = [key for key in VARIABLES.values() if not document.get(key)]
        if missing:
            raise CommandError(f"{url} does not give {', '.join(missing)}")
        for variable, key in VARIABLES.items():
            self.stdout.write(f"{variable}={document[key]}")
        algorithms = document.get("id_token_signing_alg_values_supported", [])
        if algorithms and "RS256" not in algorithms:
            self.stdout.write(f"OIDC_RP_SIGN_ALGO={algorithms[0]}")
