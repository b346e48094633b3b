"""Bahasa Indonesia by default; English only when the visitor switches (or, for API
problem texts, when the client asks with Accept-Language)."""

import pytest

pytestmark = pytest.mark.django_db


def test_pages_are_indonesian_even_for_an_english_browser(client, region_a):
    html = client.get(f"/{region_a.slug}/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content
    assert b'<html lang="id"' in html


def test_the_switch_makes_pages_english(client, region_a):
    page = f"/{region_a.slug}/"
    response = client.post("/i18n/setlang/", {"language": "en", "next": page})
    assert response.status_code == 302
    assert b'<html lang="en"' in client.get(page).content


def test_api_problem_texts_follow_accept_language(client):
    english = client.get("/api/v1/regions/nowhere", HTTP_ACCEPT_LANGUAGE="en")
    indonesian = client.get("/api/v1/regions/nowhere", HTTP_ACCEPT_LANGUAGE="id")
    assert english.json()["detail"] == "Not found."
    assert indonesian.json()["detail"] != english.json()["detail"]
    assert english.json()["code"] == indonesian.json()["code"] == "not_found"
