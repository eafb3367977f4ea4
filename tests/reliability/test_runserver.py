"""`manage.py runserver` with the local settings, as a new developer starts it: no
collectstatic, and the admin, the docs and the browsable API render with their static files."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.request

import pytest

from tests.servers import ROOT, free_port, manage, server_env, wait_until_up

pytestmark = pytest.mark.slow


def fetch(url: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Accept": "text/html"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode("utf-8", "replace")


def test_runserver_serves_admin_docs_and_their_static_files_without_collectstatic(tmp_path):
    env = server_env(tmp_path / "db.sqlite3")
    manage(env, "migrate", "--noinput", "-v0")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/healthz")
        for path in ("/admin/login/", "/api/v1/docs/", "/api/v1/articles/"):
            status, page = fetch(base + path)
            assert status == 200, path
            assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
            assert assets, path
            for asset in assets:
                assert fetch(base + asset)[0] == 200, asset
    finally:
        server.terminate()
        server.wait(timeout=10)
