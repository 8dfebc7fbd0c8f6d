"""Prepares the provider's state: a signing key, its database, the people and the
tracker as a registered client. ``python -m tests.sso.provider.setup STATE CONFIG``,
CONFIG being JSON: {"people": {...}, "client_id", "client_secret", "redirect_uris"}."""

import json
import os
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def main(state: Path, config: dict) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (state / "signing-key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (state / "people.json").write_text(json.dumps(config["people"], ensure_ascii=False))
    os.environ["PROVIDER_STATE"] = str(state)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.sso.provider.settings"

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for username, person in config["people"].items():
        User.objects.create_user(username, password=person["password"])
    Application.objects.create(
        name="Busan work-plan tracker",
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(config["redirect_uris"]),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text()))
