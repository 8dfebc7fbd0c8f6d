"""Empties the tracker's cache: run after restoring a backup (deploy/restore does).

Cached rows and figures are keyed on what they depend on (task versions, the newest
history row's id), never invalidated by hand. A restored database hands out those ids
and versions again for different content, so a key could bring back a value from after
the backup. On Redis only this site's keys go (``CACHE_KEY_PREFIX``), never the
reminder queue or another site that shares the server.
"""

import redis
from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Empties the tracker's cache (after a restore)."

    def handle(self, *args, **options):
        config = settings.CACHES["default"]
        if config["BACKEND"] != "django.core.cache.backends.redis.RedisCache":
            cache.clear()
            self.stdout.write("Cache cleared.")
            return
        client = redis.Redis.from_url(config["LOCATION"])
        pattern = f"{config.get('KEY_PREFIX', '')}:*"
        removed = 0
        for keys in _batches(client.scan_iter(match=pattern, count=500), 500):
            removed += client.delete(*keys)
        self.stdout.write(f"Cache cleared: {removed} keys under {pattern!r}.")


def _batches(items, size):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
