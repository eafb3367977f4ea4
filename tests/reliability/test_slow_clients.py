"""Slow clients (request headers sent a byte at a time) against the server `make run` starts
and against the nginx configuration in the repo, while ordinary clients keep asking: the
ordinary requests are answered as usual, and nginx drops the slow ones at its timeout.

With gunicorn's sync workers, two slow clients held both workers for the 30 s timeout: the
first case shows that fault in the old shape, so the test can tell the difference."""

from __future__ import annotations

import os
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.servers import ROOT, free_port, gunicorn, manage, server_env, wait_until_up

pytestmark = pytest.mark.slow
PARTIAL = b"GET /api/v1/articles/ HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow"


@contextmanager
def slow_clients(port: int, count: int, *, tls: bool = False, seconds: float = 8):
    """`count` connections that send a request's first line, then a byte a second."""
    stop = threading.Event()
    closed_after: list[float] = []

    def trickle():
        raw = socket.create_connection(("127.0.0.1", port), timeout=30)
        sock = raw
        if tls:
            context = ssl.create_default_context()
            context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
            sock = context.wrap_socket(raw)
        started = time.monotonic()
        try:
            sock.sendall(PARTIAL[:20])
            for byte in PARTIAL[20:] * 10:
                if stop.wait(1.0) or time.monotonic() - started > seconds:
                    return
                sock.sendall(bytes([byte]))
        except OSError:
            closed_after.append(time.monotonic() - started)  # the server hung up
        finally:
            sock.close()

    threads = [threading.Thread(target=trickle, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)  # every slow connection is open and has begun its request
    try:
        yield closed_after
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=5)


def ordinary_latencies(url: str, count: int = 20, context=None) -> list[float]:
    latencies = []
    for _ in range(count):
        started = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=10, context=context) as response:
                assert response.status == 200
            latencies.append(time.monotonic() - started)
        except OSError:
            latencies.append(float("inf"))
    return latencies


@pytest.fixture
def archive_env(tmp_path):
    env = server_env(tmp_path / "db.sqlite3", DJANGO_API_ANON_RATE="off")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "import_articles", str(ROOT / "seeds"), "-v0")
    return env


@pytest.mark.parametrize(
    ("arguments", "holds"),
    [
        (["--worker-class", "sync", "--workers", "2", "--timeout", "30"], False),  # the old shape
        (["-c", "config/gunicorn.py"], True),  # what `make run` starts
    ],
    ids=["sync-workers", "make-run"],
)
def test_slow_clients_against_gunicorn(archive_env, arguments, holds):
    port = free_port()
    with gunicorn(archive_env, *arguments, port=port) as base, slow_clients(port, 2):
        latencies = ordinary_latencies(f"{base}/api/v1/articles/", count=10)
    served = [t for t in latencies if t < 2]
    if holds:
        assert len(served) == len(latencies), latencies
    else:
        assert len(served) < len(latencies), latencies  # stalled behind the slow clients


def nginx_config(tmp_path: Path, *, upstream: int, http: int, https: int) -> Path:
    """The repo's config/nginx files, with this test's ports, certificate and paths."""
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True,
    )  # fmt: skip
    site = (ROOT / "config/nginx/archive.conf").read_text()
    replacements = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream};",
        "listen 80;": f"listen 127.0.0.1:{http};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https} ssl http2;",
        "/etc/letsencrypt/live/archive.example.org/fullchain.pem": str(certificate),
        "/etc/letsencrypt/live/archive.example.org/privkey.pem": str(key),
        "/etc/nginx/proxy_params_archive": str(ROOT / "config/nginx/proxy_params_archive"),
    }
    for old, new in replacements.items():
        assert old in site, old
        site = site.replace(old, new)
    (tmp_path / "archive.conf").write_text(site)
    main = tmp_path / "nginx.conf"
    temp = tmp_path / "temp"
    temp.mkdir()
    main.write_text(
        f"""
user root;
daemon off;
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {tmp_path}/archive.conf;
}}
"""
    )
    return main


@pytest.fixture
def nginx_binary():
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed (apt-get install nginx)")
        pytest.skip("nginx is not installed")
    return binary


def test_nginx_config_holds_off_slow_clients_under_load(archive_env, tmp_path, nginx_binary):
    upstream, http, https = free_port(), free_port(), free_port()
    config = nginx_config(tmp_path, upstream=upstream, http=http, https=https)
    env = {**archive_env, "DJANGO_NUM_PROXIES": "1"}
    with gunicorn(env, "-c", "config/gunicorn.py", port=upstream):
        proxy = subprocess.Popen(
            [nginx_binary, "-c", str(config), "-p", str(tmp_path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            wait_until_up(f"http://127.0.0.1:{http}/healthz")
            # Plain HTTP: the health check answers, everything else goes to HTTPS.
            request = urllib.request.Request(f"http://127.0.0.1:{http}/api/v1/")
            opener = urllib.request.build_opener(NoRedirect)
            with pytest.raises(urllib.error.HTTPError) as redirect:
                opener.open(request, timeout=5)
            assert redirect.value.code == 301
            assert redirect.value.headers["Location"].startswith("https://")
            # Forty slow clients and a load generator at once.
            url = f"https://127.0.0.1:{https}/api/v1/articles/"
            with slow_clients(https, 40, tls=True, seconds=14) as closed_after:
                load = subprocess.run(
                    ["wrk", "-t2", "-c16", "-d6s", "--timeout", "5s", url],
                    capture_output=True,
                    text=True,
                    timeout=60,
                )
                time.sleep(7)  # past nginx's 10 s client_header_timeout
            assert load.returncode == 0, load.stderr
            report = load.stdout
            requests = int(re.search(r"(\d+) requests in", report).group(1))
            assert requests > 100, report
            assert "Non-2xx" not in report and "Socket errors" not in report, report
            # nginx hung up on every slow client at its header timeout (10 s), not later.
            assert len(closed_after) == 40
            assert all(9 <= t <= 13 for t in closed_after), closed_after
        finally:
            proxy.terminate()
            proxy.wait(timeout=10)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
