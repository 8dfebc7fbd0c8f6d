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
