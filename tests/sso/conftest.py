from tests.sso.fixtures import (  # noqa: F401
    city_account_sign_in,
    configure,
    directory,
    directory_server,
    mapped_city,
    provider,
    provider_server,
)
