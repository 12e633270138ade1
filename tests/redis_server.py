"""The tests' Redis is launchwire's own local broker (launchwire/local_cluster.py): Debian's
redis-server, installed by `make test`, on a free loopback port (#18)."""

from launchwire.local_cluster import RedisServer

__all__ = ["RedisServer"]
