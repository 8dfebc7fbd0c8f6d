"""gunicorn's settings for the tracker (the Procfile and deploy/systemd/busan-web.service
start it with ``--config deploy/gunicorn.conf.py``). Each value can be overridden from the
environment, so the one file serves a one-host trial and a city data-centre server."""

import os

from busan_tracker.logs import GunicornLogger, gunicorn_logging

# Behind the city's reverse proxy (TLS ends there) on this host. honcho sets PORT.
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# gunicorn itself reads WEB_CONCURRENCY for the number of workers: (2 x cores) + 1 is
# the usual start; the pages are short database reads.
workers = int(os.environ.get("WEB_CONCURRENCY", (os.cpu_count() or 1) * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# A worker is replaced after this many requests (with jitter so they do not all restart
# at once): a slow leak in any library never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# Only the proxy on this host may tell gunicorn the original scheme (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Logs as JSON lines on standard error, access lines included (busan_tracker/logs.py).
logger_class = GunicornLogger
logconfig_dict = gunicorn_logging(level=os.environ.get("LOG_LEVEL", "INFO"))

# gunicorn's control socket (gunicornc) is not used: systemd and honcho send signals.
# Its default path in the home directory would be shared by every gunicorn of the user.
control_socket_disable = True
