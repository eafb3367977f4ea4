"""Near duplicates at import: the sketches of a batch's written articles are stored with their
band keys, and every article sharing enough keys with one of them is compared with it
(archive.similarity); pairs at THRESHOLD or more are kept both ways round (NearDuplicate).

An article written again loses its old sketch and pairs first, so a page edited apart from
its twin stops being flagged. A few statements a batch: the keys are looked up in one.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict

from django.db import connection, transaction
from django.db.models import Max, Q

from archive.models import Article, ArticleSketch, NearDuplicate, SketchBand
from archive.similarity import (
    MAX_HOLDERS,
    MIN_SHARED_BANDS,
    SAMPLE,
    THRESHOLD,
    band_keys,
    similarities,
)

from .writing import rows_insert

CHUNK = 500  # keys or ids a statement (SQLite takes at most 999 parameters)


def _chunks(values: list) -> list[list]:
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


# Each key's newest holders, a list per key, in one statement for the batch's keys: an index
# range read per key, stopping at its newest `limit` (the sketch_band_key_newest index).
NEWEST_HOLDERS = {
    "sqlite": """SELECT j.value, (SELECT group_concat(article_id) FROM (
            SELECT article_id FROM archive_sketchband WHERE key = j.value
            ORDER BY article_id DESC LIMIT %s))
        FROM json_each(%s) j""",
    "postgresql": """SELECT k, array(
            SELECT article_id FROM archive_sketchband WHERE key = k
            ORDER BY article_id DESC LIMIT %s)
        FROM unnest(%s::bigint[]) k""",
}


def _candidates(keys: dict[int, list[int]]) -> dict[int, set[int]]:
    """For each article, the others sharing MIN_SHARED_BANDS of its band keys: every holder of
    a key held by MAX_HOLDERS articles or fewer, and for a key held by more, its newest SAMPLE
    holders only.

    A common key is template text or a flood of copies: comparing a sample tells them apart
    (template holders are not alike; copies are), where skipping such keys let 1,000 bodies
    differing by a word each go unflagged, and reading every holder would cost a whole scan of
    a template's key per batch. One statement for the batch reads each key's newest holders,
    one more than MAX_HOLDERS at most (a statement per 500 keys, and one more per common key,
    had cost 4.7 s of a 10,000-file import on PostgreSQL)."""
    wanted = sorted({k for ks in keys.values() for k in ks})
    limit = max(MAX_HOLDERS + 1, SAMPLE)
    holders: dict[int, list[int]] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(NEWEST_HOLDERS["postgresql"], [limit, wanted])
            rows = cursor.fetchall()
        else:
            cursor.execute(NEWEST_HOLDERS["sqlite"], [limit, json.dumps(wanted)])
            rows = [
                (band, [int(pk) for pk in held.split(",")] if held else [])
                for band, held in cursor.fetchall()
            ]
    for band, held in rows:
        held = sorted(held, reverse=True)
        holders[band] = held[:SAMPLE] if len(held) > MAX_HOLDERS else held
    found = {}
    for pk, ks in keys.items():
        shared = Counter(other for k in ks for other in holders.get(k, ()) if other != pk)
        found[pk] = {other for other, n in shared.items() if n >= MIN_SHARED_BANDS}
    return found


class RecentSketches:
    """The sketches an import run wrote last, by article key (the newest `size`), so that a
    batch's candidates need not all be read back: they are each key's newest holders, mostly
    articles written a few batches before (at 100,000 generated articles, three quarters of a
    batch's 20,000 candidates were among the 50,000 written last; 50,000 take about 19 MB).

    What it holds is what the database held when the run's last batch committed: sketches are
    kept only once their batch commits, and all are forgotten when any other writer's article
    versions have appeared since (another import's batch may have rewritten a sketch)."""

    def __init__(self, size: int = 50_000):
        self.size = size
        self.held: dict[int, bytes] = {}  # oldest first
        self._newest: int | None = None  # the newest article version when the run last wrote

    def checked(self) -> None:
        """Before a batch reads: forget every sketch if others have written since."""
        if self.held and _newest_version() != self._newest:
            self.held.clear()

    def found(self, pks: set[int]) -> dict[int, bytes]:
        """Those of these articles' sketches held."""
        return {pk: self.held[pk] for pk in pks if pk in self.held}

    def kept(self, sketches: dict[int, bytes], gone: set[int]) -> None:
        """After a batch's writes, in its transaction: `sketches` written, `gone` deleted."""
        for pk in gone:
            self.held.pop(pk, None)  # at once: a rolled-back batch only costs a read
        newest = _newest_version()

        def keep() -> None:
            for pk, data in sketches.items():
                self.held.pop(pk, None)
                self.held[pk] = data
            for pk in list(self.held)[: max(0, len(self.held) - self.size)]:
                del self.held[pk]
            self._newest = newest

        transaction.on_commit(keep)


def _newest_version() -> int | None:
    return Article.history.aggregate(newest=Max("history_id"))["newest"]


def _sketches(pks: list[int]) -> dict[int, bytes]:
    """The stored sketches of these articles, as plain rows: a batch's candidates number
    thousands, and building the ORM's IN of 500 ids cost about what reading them did."""
    table = connection.ops.quote_name(ArticleSketch._meta.db_table)
    found = {}
    with connection.cursor() as cursor:
        for chunk in _chunks(pks):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT article_id, minhash FROM {table} WHERE article_id IN ({marks})", chunk
            )
            found.update((pk, bytes(data)) for pk, data in cursor.fetchall())
    return found


def near_duplicates_write(
    sketched: list[tuple[Article, bytes | None]],
    rewritten: set[int],
    recent: RecentSketches | None = None,
) -> dict[int, list[tuple[int, float]]]:
    """Store the sketches of the articles written (None: too short to sketch) and the pairs
    they make; each article's near duplicates (other article's key, similarity), most alike
    first. `recent`: the run's sketches written last, read from memory instead."""
    for chunk in _chunks(sorted(rewritten)):
        ArticleSketch.objects.filter(article_id__in=chunk).delete()
        SketchBand.objects.filter(article_id__in=chunk).delete()
        NearDuplicate.objects.filter(Q(article_id__in=chunk) | Q(other_id__in=chunk)).delete()
    own = {article.pk: data for article, data in sketched if data is not None}
    if recent is not None:
        recent.kept(own, rewritten - own.keys())
    if not own:
        return {}
    keys = {pk: band_keys(data) for pk, data in own.items()}
    rows_insert(ArticleSketch, ["article", "minhash"], own.items())
    rows_insert(SketchBand, ["article", "key"], ((pk, k) for pk, ks in keys.items() for k in ks))

    candidates = _candidates(keys)
    wanted = set().union(*candidates.values()) - own.keys()
    sketches = recent.found(wanted) if recent is not None else {}
    sketches.update(_sketches(sorted(wanted - sketches.keys())))
    sketches.update(own)
    pairs: dict[tuple[int, int], float] = {}  # (lower key, higher key): similarity
    for pk, near in candidates.items():
        near = sorted(other for other in near if (min(pk, other), max(pk, other)) not in pairs)
        for other, alike in zip(
            near, similarities(own[pk], [sketches[o] for o in near]), strict=True
        ):
            pairs[min(pk, other), max(pk, other)] = alike
    kept = {pair: round(alike, 4) for pair, alike in pairs.items() if alike >= THRESHOLD}
    rows_insert(
        NearDuplicate,
        ["article", "other", "similarity"],
        (row for (a, b), alike in kept.items() for row in ((a, b, alike), (b, a, alike))),
    )
    found: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for (a, b), alike in kept.items():
        for pk, other in ((a, b), (b, a)):
            if pk in own:
                found[pk].append((other, alike))
    return {pk: sorted(near, key=lambda n: (-n[1], n[0])) for pk, near in found.items()}
