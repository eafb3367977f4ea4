"""What an import folder may hold besides pages: links out of it, FIFOs, devices, sockets,
directories named like pages. Each is refused by name with a one-line reason; nothing hangs,
nothing is read past the size limit, and the pages beside them import."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from archive.importer.pipeline import BATCH_FILES, source_files
from archive.importer.reading import SourceFile, source_read
from archive.importer.records import SourceError
from archive.models import Article
from tests.conftest import ROOT, SEED_000, SEED_002

pytestmark = pytest.mark.django_db


def run_json(*paths, **options) -> dict:
    import io
    import json

    from django.core.management.base import CommandError

    out = io.StringIO()
    with contextlib.suppress(CommandError):
        call_command("import_articles", *map(str, paths), as_json=True, stdout=out, **options)
    return json.loads(out.getvalue())


def reasons(report) -> dict[str, str]:
    return {
        os.path.basename(f["path"]): f["detail"]
        for f in report["files"]
        if f["outcome"] == "failed"
    }


def test_a_folder_of_traps_imports_its_pages_and_names_each_trap(tmp_path, source_dir):
    secret = tmp_path / "credentials.txt"
    secret.write_text("DB_PASSWORD=hunter2\n" * 20)
    (source_dir / SEED_000.name).write_bytes(SEED_000.read_bytes())
    (source_dir / "leak.txt").symlink_to(secret)
    (source_dir / "zero.txt").symlink_to("/dev/zero")
    os.mkfifo(source_dir / "pipe.txt")
    (source_dir / "folder.txt").mkdir()
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(source_dir / "socket.txt"))
    inside = source_dir / "inside.txt"
    inside.symlink_to(source_dir / SEED_000.name)  # a link that stays in the folder is read
    started = time.monotonic()
    try:
        report = run_json(source_dir)
    finally:
        listener.close()
    assert time.monotonic() - started < 30  # the FIFO did not hang it
    assert reasons(report) == {
        "leak.txt": "a symbolic link out of the folder: not followed",
        "zero.txt": "a symbolic link out of the folder: not followed",
        "pipe.txt": "not a regular file: a named pipe (FIFO)",
        "folder.txt": "not a regular file: a directory",
        "socket.txt": "not a regular file: a socket",
    }
    outcomes = {os.path.basename(f["path"]): f["outcome"] for f in report["files"]}
    assert outcomes[SEED_000.name] == "created" and outcomes["inside.txt"] == "duplicate"
    assert not Article.objects.filter(body__contains="hunter2").exists()


def test_a_named_device_is_refused_and_reading_is_bounded(tmp_path):
    with pytest.raises(SourceError, match="not a regular file: a character device"):
        source_read(SourceFile(Path("/dev/zero")))
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(SourceError, match="too large: 2,048 bytes"):
        source_read(big, max_bytes=1024)


def test_a_folder_walk_does_not_enter_linked_folders(tmp_path, source_dir):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "page.txt").write_bytes(SEED_002.read_bytes())
    (source_dir / "elsewhere").symlink_to(outside, target_is_directory=True)
    (source_dir / SEED_000.name).write_bytes(SEED_000.read_bytes())
    assert [f.path.name for f in source_files([source_dir])] == [SEED_000.name]


def test_force_rederives_an_unchanged_file_from_its_text(source_dir):
    page = source_dir / SEED_002.name
    page.write_bytes(SEED_002.read_bytes())
    run_json(source_dir)
    article = Article.objects.get(source_name=SEED_002.stem)
    good_title, good_body = article.title, article.body
    # A faulty edit straight in the database (not a curator's: no curated_at).
    Article.objects.filter(pk=article.pk).update(title="Broken", body="")
    again = run_json(source_dir)
    assert again["files"][0]["outcome"] == "unchanged"  # same bytes: not even parsed
    forced = run_json(source_dir, force=True)
    assert forced["files"][0]["outcome"] == "updated"
    article.refresh_from_db()
    assert (article.title, article.body) == (good_title, good_body)


@pytest.mark.slow
def test_the_progress_bar_moves_file_by_file_with_rate_and_time_left(tmp_path):
    """In a terminal the bar advances per file, under one batch (it used to move in 500s)."""
    import pty

    from benchmarks.corpus import corpus_write

    corpus = tmp_path / "corpus"
    corpus_write(corpus, 2000, seed=3, bad_every=0)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", COLUMNS="160")
    env["DJANGO_SEARCH_INDEX_DIR"] = str(tmp_path / "index")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    command = [sys.executable, "manage.py", "import_articles", str(corpus), "--jobs", "1"]
    primary, secondary = pty.openpty()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=secondary, stderr=secondary)
    os.close(secondary)
    output = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    assert process.wait(timeout=120) == 0
    text = output.decode("utf-8", "replace")
    shown = {int(n) for n in re.findall(r"(\d+)/2000", text)}
    # A count that is no multiple of the batch shows the bar moving inside a batch (a bar per
    # batch shows only 0, 500, 1000 …); which ones the terminal sees depends on the machine.
    assert {n for n in shown if n % BATCH_FILES}, text[-2000:]
    assert "files/s" in text
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)  # without the terminal's colours
    assert re.search(r"\d+:\d\d:\d\d elapsed, (?:\d+:\d\d:\d\d|-:--:--) left", plain), plain[-500:]
