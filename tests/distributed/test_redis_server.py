"""The broker the distributed mode's tests run against is a real Redis that keeps what it
acknowledged across a restart (#18)."""


def test_redis_keeps_acknowledged_writes_across_a_restart(redis_server):
    redis_server.client().rpush("launchwire:test", "a", "b")

    redis_server.restart()

    assert redis_server.client().lrange("launchwire:test", 0, -1) == [b"a", b"b"]
