"""Two API nodes (two gunicorn instances, each with its own search index folder) over one
PostgreSQL database: a write through one is found by a search through the other at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid

import pytest

from tests.servers import ROOT, gunicorn, manage, server_env

pytestmark = pytest.mark.slow
ADMIN_URL = os.environ.get(
    "ARCHIVE_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture
def postgres_database():
    psycopg = pytest.importorskip("psycopg")
    name = f"archive_nodes_{uuid.uuid4().hex[:8]}"
    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True)
    except psycopg.OperationalError:
        if os.environ.get("CI"):
            raise
        pytest.skip("no PostgreSQL at 127.0.0.1:5432")
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def get_json(url: str, **headers) -> dict:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:
        return json.load(r)


def test_a_write_through_one_node_is_found_through_the_other(postgres_database, tmp_path):
    env = server_env(tmp_path / "unused.sqlite3", DJANGO_API_ANON_RATE="off")
    env["DATABASE_URL"] = postgres_database
    manage(env, "migrate", "--noinput", "-v0")
    env_a = {**env, "DJANGO_SEARCH_INDEX_DIR": str(tmp_path / "node-a")}
    env_b = {**env, "DJANGO_SEARCH_INDEX_DIR": str(tmp_path / "node-b")}
    manage(env_a, "import_articles", str(ROOT / "seeds"), "-v0")  # node A's index fed by it
    manage(env_b, "search_index", "rebuild")
    env_a["DJANGO_SUPERUSER_PASSWORD"] = "two-nodes-password-1"
    manage(env_a, "createsuperuser", "--noinput", "--username", "editor", "--email", "e@x.org")
    token = subprocess.run(
        [sys.executable, "manage.py", "drf_create_token", "editor"],
        cwd=ROOT, env=env_a, check=True, capture_output=True, text=True,
    ).stdout.split()[2]  # fmt: skip

    with (
        gunicorn(env_a, "-c", "config/gunicorn.py") as node_a,
        gunicorn(env_b, "-c", "config/gunicorn.py") as node_b,
    ):
        word = "Quorvantic"
        before = get_json(f"{node_b}/api/v1/articles/?q={word}")
        assert before["count"] == 0
        body = json.dumps({"title": f"The {word} Question", "body": f"On {word} talks."}).encode()
        request = urllib.request.Request(
            f"{node_a}/api/v1/articles/", data=body, method="POST",
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 201
        written = time.monotonic()
        found = get_json(f"{node_b}/api/v1/articles/?{urllib.parse.urlencode({'q': word})}")
        elapsed = time.monotonic() - written
        assert found["count"] == 1 and found["results"][0]["title"] == f"The {word} Question"
        assert "<mark>" in found["results"][0]["highlight"]
        assert elapsed < 1.0, elapsed
        # And each node's index, checked against the database, holds no difference.
    for node_env in (env_a, env_b):
        manage(node_env, "search_index", "check")
