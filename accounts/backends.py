from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied


class SignInLockBackend(AxesStandaloneBackend):
    """axes' lock check, which marks a sign-in it refused (for the audit), and lets
    through an authentication that comes with no request: no person is signing in
    there (a management command, a test's ``client.login``), so there is nothing to
    count or lock."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        try:
            return super().authenticate(request, username, password, **kwargs)
        except AxesBackendPermissionDenied:
            request.signin_refused = True
            raise


def username_for_lock(request, credentials) -> str | None:
    """The user name axes counts failures under, as typed but cut to what it stores
    (``AXES_USERNAME_CALLABLE``): the sign-in form does not enforce the length, and a
    longer name made PostgreSQL refuse axes' row (a 500 the hostile-input test found)."""
    typed = credentials.get("username") if credentials else request.POST.get("username")
    if typed is None:
        return None
    return str(typed).replace("\x00", "")[:150]
