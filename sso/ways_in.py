"""Which ways of signing in are on: the one answer the sign-in page and the views ask.
A way is on when its backend is in ``AUTHENTICATION_BACKENDS``
(``busan_tracker/single_sign_on.py`` puts it there when its variables are set)."""

from dataclasses import dataclass

from django.conf import settings

DIRECTORY_BACKEND = "sso.directory.DirectoryBackend"
PROVIDER_BACKEND = "sso.openid.CityAccountBackend"


@dataclass(frozen=True)
class WaysIn:
    # The city directory's user name and password work in the sign-in form.
    directory: bool
    # "Sign in with the city account" through the OpenID provider.
    provider: bool

    @property
    def city_account(self) -> bool:
        return self.directory or self.provider


def ways_in() -> WaysIn:
    backends = settings.AUTHENTICATION_BACKENDS
    return WaysIn(directory=DIRECTORY_BACKEND in backends, provider=PROVIDER_BACKEND in backends)
