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
