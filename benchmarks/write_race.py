"""Writes racing an import, as a hostile or careless client would make them: a corpus is
imported, then imported again with every body changed while four clients PATCH the articles'
dates through gunicorn (production settings). Afterwards every article is checked against its
file and its curator edit: an article the import reported `updated` holds the new body and
its digest; one it `kept` holds the old body and was edited; every edit that was answered 200
is in the record.

    python -m benchmarks.write_race [--files 3000] [--database sqlite|postgres]

Prints one JSON line: files, edits answered, and the articles lost (0 is the only pass).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import threading
import urllib.error
import urllib.request
from pathlib import Path

from benchmarks.corpus import corpus_write
from benchmarks.run import PYTHON, ROOT, WORK, fresh_database
from tests.servers import free_port, wait_until_up

CLIENTS = 4
ADDED = "A sentence added by the second crawl."


def manage(env: dict, *args: str, capture: bool = False) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout if capture else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--database", default="sqlite", choices=["sqlite", "postgres"])
    options = parser.parse_args()

    first, second = WORK / "race" / "first", WORK / "race" / "second"
    shutil.rmtree(WORK / "race", ignore_errors=True)
    corpus_write(first, options.files, seed=11, bad_every=0)
    second.mkdir(parents=True)
    for page in first.glob("*.txt"):
        text = page.read_text(encoding="utf-8", errors="replace")
        (second / page.name).write_text(text.replace("\n\n", f"\n\n{ADDED}\n\n", 1))

    with fresh_database(options.database, options.files) as env:
        env = {**env, "DJANGO_SUPERUSER_PASSWORD": "race-password-123"}
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "import_articles", str(first), "-v0")
        manage(env, "createsuperuser", "--noinput", "--username", "racer", "--email", "r@x.org")
        token = manage(env, "drf_create_token", "racer", capture=True).split()[2]
        slugs = manage(
            env, "shell", "-v0", "-c",
            "from archive.models import Article\n"
            "print(*Article.objects.exclude(source_name=None).values_list('slug', flat=True))",
            capture=True,
        ).split()  # fmt: skip
        port = free_port()
        server = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "config.wsgi:application", "-c",
             "config/gunicorn.py", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        edited: dict[str, str] = {}
        try:
            wait_until_up(f"http://127.0.0.1:{port}/healthz")
            start = threading.Barrier(CLIENTS + 1)

            def client(share: list[str], day: int) -> None:
                start.wait()
                for slug in share:
                    when = f"2019-03-{day:02d}"
                    request = urllib.request.Request(
                        f"http://127.0.0.1:{port}/api/v1/articles/{slug}/",
                        data=json.dumps({"published_on": when}).encode(), method="PATCH",
                        headers={"Authorization": f"Token {token}",
                                 "Content-Type": "application/json"},
                    )  # fmt: skip
                    try:
                        with urllib.request.urlopen(request, timeout=60) as answer:
                            if answer.status == 200:
                                edited[slug] = when
                    except urllib.error.HTTPError:
                        pass  # a 503 while the import held the lock: not applied, not counted

            threads = [
                threading.Thread(target=client, args=(slugs[n::CLIENTS], n + 1))
                for n in range(CLIENTS)
            ]
            for thread in threads:
                thread.start()
            importing = subprocess.Popen(
                [PYTHON, "manage.py", "import_articles", str(second), "--json"],
                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            )  # fmt: skip
            start.wait()
            report, _ = importing.communicate()
            for thread in threads:
                thread.join()
        finally:
            server.terminate()
            server.wait()
        outcomes = {f["source_name"]: f["outcome"] for f in json.loads(report)["files"]}
        rows = json.loads(
            manage(
                env, "shell", "-v0", "-c",
                "import json\nfrom archive.models import Article\n"
                "print(json.dumps([[a.slug, a.source_name, str(a.published_on), "
                f"{ADDED!r} in a.body] for a in Article.objects.exclude(source_name=None)]))",
                capture=True,
            )
        )  # fmt: skip
    lost = []
    for slug, name, published, has_new_body in rows:
        if slug in edited and published != edited[slug]:
            lost.append((slug, "edit lost"))
        if has_new_body != (outcomes[name] == "updated"):
            lost.append((slug, f"body does not match the import's {outcomes[name]!r}"))
    print(
        json.dumps(
            {
                "database": options.database,
                "files": options.files,
                "edits_answered": len(edited),
                "updated": sum(o == "updated" for o in outcomes.values()),
                "kept": sum(o == "kept" for o in outcomes.values()),
                "lost": len(lost),
                "examples": lost[:5],
            }
        )
    )


if __name__ == "__main__":
    main()
