"""The web cache the gunicorn workers share: diskcache, kept open between requests.

Django's FileBasedCache lists every cache file on each write to decide whether
to cull (24 ms a write at 19,000 entries, and a library of 100k cases has that
many pages); diskcache keeps an SQLite index, so a write costs the same at any
size. Django closes every cache after each request, which for diskcache means
reopening its SQLite shards (about 0.45 ms); its connections are per thread and
safe to keep, as Django's own Redis backend keeps its pool.
"""

from __future__ import annotations

from typing import Any

from diskcache import DjangoCache


class SharedDiskCache(DjangoCache):  # type: ignore[misc]
    def close(self, **kwargs: Any) -> None:
        """Keep the shard connections open for the thread's next request."""
