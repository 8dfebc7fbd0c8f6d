"""Logs as JSON lines in production: one object per line on standard error, so journald,
a container runtime or the city's log collector keeps each event whole (a traceback
stays inside its event instead of becoming forty lines).

Django (``LOGGING`` in settings), the Celery worker and beat (which log through Django's
configuration) and gunicorn (``deploy/gunicorn.conf.py`` uses ``gunicorn_logging`` and
``GunicornLogger``) write the same fields: ``time`` (UTC, ISO 8601), ``level``,
``logger``, ``message``, ``process``, and ``exc_info`` with the traceback when there is
one; an access line adds ``method``, ``path``, ``query``, ``status``, ``bytes``,
``duration_ms``, ``remote_addr``, ``forwarded_for`` and ``user_agent``.
"""

from __future__ import annotations

from gunicorn import glogging

JSON_FORMATTER = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": ["levelname", "name", "message", "process"],
    "rename_fields": {"levelname": "level", "name": "logger"},
    "timestamp": "time",
}
TEXT_FORMATTER = {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}


def django_logging(*, json_lines: bool, level: str) -> dict:
    """The ``LOGGING`` setting: everything to standard error, as JSON lines or text."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"line": JSON_FORMATTER if json_lines else TEXT_FORMATTER},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
        "root": {"handlers": ["console"], "level": level},
    }


def gunicorn_logging(*, level: str = "INFO") -> dict:
    """gunicorn's ``logconfig_dict``: its own messages and the access log as JSON lines."""
    config = django_logging(json_lines=True, level=level)
    config["loggers"] = {
        name: {"handlers": ["console"], "level": "INFO", "propagate": False}
        for name in ("gunicorn.error", "gunicorn.access")
    }
    return config


class GunicornLogger(glogging.Logger):
    """Access lines with their facts as fields rather than one Apache-style string."""

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        method = environ.get("REQUEST_METHOD", "")
        path = environ.get("PATH_INFO", "")
        self.access_log.info(
            "%s %s %s",
            method,
            path,
            status,
            extra={
                "method": method,
                "path": path,
                "query": environ.get("QUERY_STRING", ""),
                "status": int(status),
                "bytes": getattr(resp, "sent", None),
                "duration_ms": round(request_time.total_seconds() * 1000, 1),
                # Behind the proxy the peer is the proxy: the visitor is in forwarded_for.
                "remote_addr": environ.get("REMOTE_ADDR", ""),
                "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR", ""),
                "user_agent": environ.get("HTTP_USER_AGENT", ""),
            },
        )
