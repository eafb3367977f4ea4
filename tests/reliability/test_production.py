"""Production settings: secrets and hosts from the environment, the deploy checks pass, a
forged Host is refused, and with DEBUG off no traceback or setting reaches a response."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import override_settings

from tests.conftest import ROOT

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "k3T9-unguessable-0f1e2d3c4b5a69788c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0",
    "DJANGO_ALLOWED_HOSTS": "archive.example.org",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env, DATABASE_URL="sqlite:///:memory:")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_checks_pass_at_warning_level():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert f"{missing} must be set in production" in result.stderr


@override_settings(DEBUG=False, ALLOWED_HOSTS=["archive.example.org"])
@pytest.mark.parametrize("path", ["/api/v1/articles/", "/admin/login/", "/healthz"])
def test_a_forged_host_header_is_refused(client, db, path):
    response = client.get(path, HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert b"evil.example.com" not in response.content
    assert client.get(path, HTTP_HOST="archive.example.org").status_code in {200, 302}


@override_settings(DEBUG=False)
def test_an_unexpected_error_shows_no_traceback_and_no_setting(client, db, monkeypatch, settings):
    def explode(*args, **kwargs):
        raise RuntimeError(f"boom with {settings.SECRET_KEY} inside")

    monkeypatch.setattr("archive.api.views.selectors.article_list", explode)
    client.raise_request_exception = False
    response = client.get("/api/v1/articles/")
    assert response.status_code == 500
    body = response.content.decode()
    for leak in ("Traceback", "RuntimeError", settings.SECRET_KEY, "boom", "DATABASES", "/work/"):
        assert leak not in body


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nowhere/",
        "/api/v1/articles/?page=999",
        "/api/v1/articles/no-such-slug/",
        "/nowhere",
    ],
)
def test_error_pages_show_no_setting_or_path(client, db, settings, path):
    response = client.get(path)
    assert 400 <= response.status_code < 500
    body = response.content.decode()
    for leak in ("Traceback", settings.SECRET_KEY, "ROOT_URLCONF", "urlpatterns", "/work/"):
        assert leak not in body


def production_settings_of(**env) -> dict:
    """Settings the production module computes under this environment, read in a process of
    their own (the module reads the environment at import)."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({k: getattr(settings, k, None) for k in "
        "['SECURE_HSTS_PRELOAD', 'SECURE_REDIRECT_EXEMPT', 'SILENCED_SYSTEM_CHECKS', "
        "'SECURE_SSL_REDIRECT']}))"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(PRODUCTION_ENV, DATABASE_URL="sqlite:///:memory:", **env)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True,
        check=True,
    ).stdout  # fmt: skip
    import json

    return json.loads(out)


def test_hsts_preload_is_off_unless_asked_for():
    assert production_settings_of()["SECURE_HSTS_PRELOAD"] is False
    asked = production_settings_of(DJANGO_SECURE_HSTS_PRELOAD="1")
    assert asked["SECURE_HSTS_PRELOAD"] is True and not asked["SILENCED_SYSTEM_CHECKS"]


@pytest.mark.parametrize(("path", "redirected"), [("/healthz", False), ("/api/v1/", True)])
def test_healthz_answers_plain_http_while_the_rest_is_redirected(
    client, db, settings, path, redirected
):
    production = production_settings_of()
    settings.SECURE_SSL_REDIRECT = production["SECURE_SSL_REDIRECT"]
    settings.SECURE_REDIRECT_EXEMPT = production["SECURE_REDIRECT_EXEMPT"]
    response = client.get(path)  # plain HTTP, as a proxy's health check sends it
    assert (response.status_code == 301) is redirected
    if not redirected:
        assert response.status_code == 200 and response.json()["status"] == "ok"


@pytest.mark.parametrize("path", ["/admin/login/", "/api/v1/docs/", "/api/v1/articles/"])
def test_pages_carry_a_content_security_policy_without_inline_scripts(client, db, path):
    response = client.get(path, HTTP_ACCEPT="text/html")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in directives["script-src"]
