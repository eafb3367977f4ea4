"""`make bench`: import and serve corpora of growing size and measure what users feel.

For each size (1,000, 10,000, 100,000 and 1,000,000 files by default) and database (PostgreSQL
up to 100,000 files unless --postgres-up-to says more):

1. a generated corpus (benchmarks.corpus, seed 1; kept between runs in artifacts/bench/);
2. a fresh database, migrated;
3. the import, cold and then unchanged: files/s and peak memory (benchmarks.probe), and
   `search_index check` after the cold one;
4. the API in-process: p50/p95 and query counts per endpoint, and whole exports (rows/s, time
   to the first byte, memory), and the other doors: a feed page, an OAI-PMH page, a
   citation, a bibliography (benchmarks.probe);
5. the API through gunicorn (as `make run`: 4 workers × 4 threads) under wrk (2 threads, 16
   connections), random paths;
6. on SQLite, Datasette over the same file, the same way, as a peer.

Writes results.json, results.md (the tables) and cost.png (the plot) to --out.

    python -m benchmarks.run [--sizes 1000,10000,100000,1000000] [--databases sqlite,postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.request import urlopen

from benchmarks.paths import ENDPOINTS, PEER_ENDPOINTS, datasette_metadata, datasette_paths
from benchmarks.wrk_script import lua_script

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "artifacts" / "bench"
PYTHON = sys.executable
BIN = Path(PYTHON).parent
POSTGRES_URL = os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks")
    parser.add_argument("--duration", default="10s", help="wrk time per endpoint")
    parser.add_argument("--requests", type=int, default=200, help="in-process, per endpoint")
    parser.add_argument(
        "--postgres-up-to", type=int, default=100_000,
        help="larger sizes run on SQLite only (a 1,000,000-file import into PostgreSQL on 2 "
        "cores takes about 1.5 hours)",
    )  # fmt: skip
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")

    results = {"machine": machine(), "runs": []}
    for database in args.databases.split(","):
        for size in sizes:
            if database == "postgres" and size > args.postgres_up_to:
                print(f"== postgres, {size:,} files: skipped (--postgres-up-to)", flush=True)
                continue
            print(f"== {database}, {size:,} files", flush=True)
            run = bench_one(database, size, args)
            results["runs"].append(run)
            print(json.dumps(run, indent=1), flush=True)
            args.out.mkdir(parents=True, exist_ok=True)  # each run kept as soon as it ends
            (args.out / "results.json").write_text(json.dumps(results, indent=1) + "\n")

    from benchmarks.report import plot, tables

    (args.out / "results.md").write_text(tables(results))
    plot(results, args.out / "cost.png")
    print(tables(results))
    print(f"wrote {args.out}/results.json, results.md, cost.png")


def bench_one(database: str, size: int, args) -> dict:
    corpus = corpus_ready(size)
    with fresh_database(database, size) as env:
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        run = {"database": database, "size": size, "started": time.strftime("%Y-%m-%d %H:%M")}
        run["import_cold"] = probe(env, "import", str(corpus))
        run["index_check"] = index_check(env)
        run["import_unchanged"] = probe(env, "import", str(corpus))
        run["articles"] = run["import_cold"]["summary"]["created"]
        run["inprocess"] = probe(env, "api", extra={"BENCH_REQUESTS": str(args.requests)})
        # The whole archive, as a signed-in client exports it: an anonymous export stops at
        # EXPORT_MAX_ROWS and any at EXPORT_SECONDS; the figure is the stream's rate.
        run["export"] = probe(
            env,
            "export",
            extra={"DJANGO_EXPORT_MAX_ROWS": "100000000", "DJANGO_EXPORT_SECONDS": "3600"},
        )
        run["doors"] = probe(env, "doors", extra={"BENCH_REQUESTS": str(args.requests)})
        run["admin"] = probe(env, "admin", extra={"BENCH_REQUESTS": str(min(args.requests, 30))})
        run["gunicorn"] = serve_and_load(env, args.duration)
        if database == "sqlite":
            run["datasette"] = peer(datasette_load, env["BENCH_SQLITE_FILE"], args.duration)
            run["bare_wsgi"] = peer(bare_load, env, args.duration)
    return run


def peer(measure, *args) -> dict:
    """A peer's figures, or why there are none: a peer that fails does not end the run."""
    try:
        return measure(*args)
    except (SystemExit, subprocess.SubprocessError, OSError) as error:
        print(f"{measure.__name__} failed: {error}", file=sys.stderr, flush=True)
        return {"error": str(error)}


def index_check(env: dict) -> dict:
    """`search_index check` after the import: every article in the index against the database."""
    started = time.perf_counter()
    done = subprocess.run(
        [PYTHON, "manage.py", "search_index", "check"], cwd=ROOT, env=env, capture_output=True,
        text=True,
    )  # fmt: skip
    last = (done.stdout.strip().splitlines() or ["no output"])[-1]  # "0 differences"
    if not last.endswith(" differences"):
        raise SystemExit(f"search_index check: {last} {done.stderr[-500:]}")
    return {"differences": int(last.split()[0]), "seconds": round(time.perf_counter() - started, 1)}


def corpus_ready(size: int) -> Path:
    folder = WORK / f"corpus-{size}"
    done = folder / ".complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(
            [PYTHON, "-m", "benchmarks.corpus", str(folder), str(size), "--seed", "1"],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        done.touch()
    return folder


@contextmanager
def fresh_database(database: str, size: int):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "benchmark-only-secret-key-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_API_ANON_RATE": "off",  # throttling is tested apart
        "DJANGO_API_EXPORT_RATE": "off",
        "PYTHONWARNINGS": "ignore::UserWarning",  # no collected static files here
        "DJANGO_SEARCH_INDEX_DIR": str(WORK / f"index-{database}-{size}"),  # this run's own
    }
    shutil.rmtree(env["DJANGO_SEARCH_INDEX_DIR"], ignore_errors=True)
    if database == "sqlite":
        folder = WORK / f"sqlite-{size}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        path = folder / "archive.sqlite3"  # Datasette names the database after the file
        env.update(DATABASE_URL=f"sqlite:///{path}", BENCH_SQLITE_FILE=str(path))
        yield env
        return
    import psycopg

    name = f"bench_{size}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
    env["DATABASE_URL"] = POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield env
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def probe(env: dict, *args: str, extra: dict | None = None) -> dict:
    done = subprocess.run(
        [PYTHON, "-m", "benchmarks.probe", *args],
        cwd=ROOT,
        env={**env, **(extra or {})},
        capture_output=True,
        text=True,
    )
    if done.returncode:  # say why: the probe's own output is all that tells
        raise SystemExit(f"probe {' '.join(args)} failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server(command: list[str], env: dict, port: int, ready_path: str):
    """Run a server until the block ends, once it answers `ready_path` with a 200."""
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        for _ in range(300):
            if process.poll() is not None:
                raise SystemExit(f"{command[0]} exited with {process.returncode}")
            try:
                with urlopen(f"http://127.0.0.1:{port}{ready_path}", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit(f"{command[0]} never answered {ready_path}")
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def wrk(port: int, paths: list[str], duration: str) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_script(paths))
    try:
        output = subprocess.run(
            ["wrk", "-t2", "-c16", f"-d{duration}", "--timeout", "10s", "-s", script.name,
             "-H", "Host: localhost", f"http://127.0.0.1:{port}"],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(script.name)
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def serve_and_load(env: dict, duration: str) -> dict:
    port = free_port()
    paths = bench_paths(env)
    with server(gunicorn("config.wsgi:application", port), env, port, "/healthz"):
        return {endpoint: wrk(port, paths[endpoint], duration) for endpoint in ENDPOINTS}


def gunicorn(app: str, port: int) -> list[str]:
    """gunicorn as `make run` starts it (config/gunicorn.py: 4 workers of 4 threads)."""
    return [
        str(BIN / "gunicorn"), "-c", "config/gunicorn.py", app, "--bind", f"127.0.0.1:{port}",
        "--log-level", "warning", "--access-logfile", "/dev/null",
    ]  # fmt: skip


def bare_load(env: dict, duration: str) -> dict:
    """The list's ceiling: benchmarks.bare_wsgi on the same file, the same list pages."""
    port = free_port()
    paths = bench_paths(env)
    bare_env = {**env, "BARE_SQLITE_FILE": env["BENCH_SQLITE_FILE"]}
    with server(
        gunicorn("benchmarks.bare_wsgi:application", port), bare_env, port, "/api/v1/articles/"
    ):
        return {"list": wrk(port, paths["list"], duration)}


def bench_paths(env: dict) -> dict[str, list[str]]:
    """Each endpoint's request paths over the database `env` names (benchmarks.paths)."""
    output = subprocess.run(
        [PYTHON, "-c", PATHS_SCRIPT], cwd=ROOT, env=env, check=True, capture_output=True,
        text=True,
    ).stdout  # fmt: skip
    return json.loads(output)


PATHS_SCRIPT = """
import json, os, django
django.setup()
from benchmarks.paths import ENDPOINTS, api_paths
print(json.dumps({e: api_paths(e, 2000, seed=2) for e in ENDPOINTS}))
"""


def datasette_load(database: str, duration: str) -> dict:
    port = free_port()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as metadata:
        json.dump(datasette_metadata(), metadata)
    command = [
        str(BIN / "datasette"), "serve", "-i", database, "--port", str(port),
        "--metadata", metadata.name, "--setting", "sql_time_limit_ms", "10000",
        "--setting", "default_cache_ttl", "0",
    ]  # fmt: skip
    try:
        with server(command, dict(os.environ), port, "/-/versions.json"):
            return {
                endpoint: wrk(port, datasette_paths(database, endpoint, 2000, seed=2), duration)
                for endpoint in PEER_ENDPOINTS
            }
    finally:
        os.unlink(metadata.name)


def machine() -> dict:
    import sqlite3

    import django

    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor(),
    )  # fmt: skip
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": _postgres_version(),
        "date": time.strftime("%Y-%m-%d"),
    }


def _postgres_version() -> str:
    try:
        import psycopg

        with psycopg.connect(POSTGRES_URL, connect_timeout=3) as connection:
            return connection.execute("SHOW server_version").fetchone()[0]
    except Exception:  # noqa: BLE001 - a machine without PostgreSQL still benchmarks SQLite
        return "not reachable"


if __name__ == "__main__":
    main()
