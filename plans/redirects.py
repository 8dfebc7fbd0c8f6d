"""Where a request may send the browser back to. Only a path of this site: ``next``
values such as ``0``, ``admin:index`` or ``http://[`` come from users and must never
reach ``redirect()`` (which would try them as URL names) or crash the request."""

from __future__ import annotations

from urllib.parse import urlsplit


def same_site_path(value: str | None, host: str) -> str | None:
    """``value`` as a path (with its query) when it points into this site, else None."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    if parts.netloc and parts.netloc != host:
        return None
    path = parts.path
    # "//evil.example" is another site; "\evil" is one to some browsers.
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return None
    if any(ord(char) < 32 for char in path + parts.query):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def safe_next(request, default: str) -> str:
    """An explicit ``next``, else the page the request came from (HTMX tells us; a plain
    link sends its Referer), if it is a path of this site; otherwise ``default``."""
    host = request.get_host()
    candidates = [request.POST.get("next"), request.GET.get("next")]
    if getattr(request, "htmx", False):
        candidates.append(request.headers.get("HX-Current-URL"))
    candidates.append(request.headers.get("Referer"))
    for candidate in candidates:
        path = same_site_path(candidate, host)
        if path is not None:
            return path
    return default
