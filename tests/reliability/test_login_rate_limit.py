"""Admin login attempts are rate-limited (django-axes): after the failure limit, even the right
password is refused for that user name from that address, with 429."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


def attempt(client, password: str, ip: str = "203.0.113.7"):
    data = {"username": "editor", "password": password}
    return client.post(LOGIN, data, REMOTE_ADDR=ip)


def test_guessing_a_password_is_locked_out_after_the_limit(client, settings):
    User.objects.create_user("editor", password="the-right-passphrase", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "wrong").status_code == 200  # the form again, with an error
    assert attempt(client, "wrong").status_code == 429
    assert attempt(client, "the-right-passphrase").status_code == 429
    # Another address is not locked out for this user.
    assert attempt(client, "the-right-passphrase", ip="198.51.100.9").status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, settings):
    User.objects.create_user("editor", password="the-right-passphrase", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "wrong")
    assert attempt(client, "the-right-passphrase").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "wrong").status_code == 200


def test_behind_a_proxy_the_lock_out_is_per_client_not_per_proxy(client, settings, monkeypatch):
    """Five wrong passwords from one client behind a shared proxy lock out that client only;
    the real curator, behind the same proxy, still logs in. The API's address rule applies."""
    from rest_framework.settings import api_settings

    monkeypatch.setattr(api_settings, "NUM_PROXIES", 1)
    User.objects.create_user("editor", password="the-right-passphrase", is_staff=True)
    proxy = "10.0.0.2"

    def through_proxy(password, forwarded_for):
        data = {"username": "editor", "password": password}
        return client.post(
            LOGIN, data, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forwarded_for
        ).status_code

    attacker = [through_proxy("wrong", "203.0.113.66") for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert attacker[-1] == 429
    assert through_proxy("the-right-passphrase", "203.0.113.66") == 429
    assert through_proxy("the-right-passphrase", "198.51.100.9") == 302
