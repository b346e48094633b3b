"""The API's fair-share limiter: rates, client identity, windows."""

import pytest
from django.test import RequestFactory, override_settings

from lumbung.api.ratelimit import Rate, client_address, client_key, parse_rate, scopes


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("120/m", Rate(120, 60)),
        ("5/10s", Rate(5, 10)),
        ("1000/h", Rate(1000, 3600)),
        ("2/min", Rate(2, 60)),
        ("7/d", Rate(7, 86400)),
    ],
)
def test_rates_parse(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["", "ten/m", "5/w", "5"])
def test_bad_rates_are_refused(text):
    with pytest.raises(ValueError, match="Invalid rate"):
        parse_rate(text)


def test_a_client_is_a_token_a_session_or_an_address():
    rf = RequestFactory()
    token = rf.get("/api/v1/regions", HTTP_AUTHORIZATION="Bearer lmb_secret")
    other_token = rf.get("/api/v1/regions", HTTP_AUTHORIZATION="Bearer lmb_other")
    anonymous = rf.get("/api/v1/regions", REMOTE_ADDR="10.1.2.3")
    assert client_key(token).startswith("t:")
    assert "lmb_secret" not in client_key(token)  # the secret never becomes a cache key
    assert client_key(token) != client_key(other_token)
    assert client_key(anonymous) == "ip:10.1.2.3"


def test_forwarded_addresses_are_trusted_only_behind_configured_proxies():
    request = RequestFactory().get(
        "/api/v1/regions", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.0.0.9"
    )
    assert client_address(request) == "127.0.0.1"
    with override_settings(NINJA_NUM_PROXIES=1):
        assert client_address(request) == "10.0.0.9"


def test_region_paths_count_against_their_region():
    rf = RequestFactory()
    assert ("region", "kota-bandung") in scopes(rf.get("/api/v1/regions/kota-bandung/units"))
    assert all(s != "region" for s, _ in scopes(rf.get("/api/v1/regions")))


def _redis_url() -> str | None:
    import redis

    url = "redis://127.0.0.1:6379/14"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return None
    return url


@pytest.mark.django_db
@pytest.mark.parametrize("backend", ["database", "redis"])
def test_counters_count_per_window_in_both_backends(backend):
    import time

    from lumbung.api.ratelimit import Counter, count_requests

    url = _redis_url() if backend == "redis" else ""
    if backend == "redis" and url is None:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    bucket = int(time.time())
    first = Counter(f"test:{backend}:{bucket}:a", bucket, 60, 5)
    second = Counter(f"test:{backend}:{bucket}:b", bucket, 60, 5)
    with override_settings(LUMBUNG_RATELIMIT_REDIS_URL=url):
        assert count_requests([first, second]) == [1, 1]
        assert count_requests([first]) == [2]
        # a new window starts again from one
        later = Counter(first.key, bucket + 1, 60, 5)
        assert count_requests([later, second]) == [1, 2]


def test_shared_counters_are_tallied_per_process_and_shared_in_batches():
    from lumbung.api.ratelimit import FLUSH_REQUESTS, Counter, SharedTally

    tally = SharedTally()
    counter = Counter("global:60:x", 100, 60, 1000)
    # the first request of a window is shared at once
    estimate, batch = tally.take(counter, now=6000.0)
    assert (estimate, batch.add if batch else None) == (1, 1)
    tally.shared_is(counter.key, 100, 50)  # other processes had counted 49 more
    # later requests are counted here, then shared in one batch
    results = [tally.take(counter, now=6000.1) for _ in range(FLUSH_REQUESTS)]
    assert results[0] == (51, None)
    last_estimate, last_batch = results[-1]
    assert last_estimate == 50 + FLUSH_REQUESTS
    assert last_batch is not None
    assert last_batch.add == FLUSH_REQUESTS
    # a new window starts again from zero
    assert tally.take(Counter("global:60:x", 101, 60, 1000), now=6060.0)[0] == 1
