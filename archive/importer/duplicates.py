"""Near duplicates at import: the sketches of a batch's written articles are stored with their
band keys, and every article sharing a key with one of them is compared with it
(archive.similarity); pairs at THRESHOLD or more are kept both ways round (NearDuplicate).

An article written again loses its old sketch and pairs first, so a page edited apart from
its twin stops being flagged. A few statements a batch: the keys are looked up 500 at a time.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from archive.models import Article, ArticleSketch, NearDuplicate, SketchBand
from archive.similarity import THRESHOLD, band_keys, similarity

from .writing import rows_insert

CHUNK = 500  # keys or ids a statement (SQLite takes at most 999 parameters)


def _chunks(values: list) -> list[list]:
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


def near_duplicates_write(
    sketched: list[tuple[Article, bytes | None]], rewritten: set[int]
) -> dict[int, list[tuple[int, float]]]:
    """Store the sketches of the articles written (None: too short to sketch) and the pairs
    they make; each article's near duplicates (other article's key, similarity), most alike
    first."""
    for chunk in _chunks(sorted(rewritten)):
        ArticleSketch.objects.filter(article_id__in=chunk).delete()
        SketchBand.objects.filter(article_id__in=chunk).delete()
        NearDuplicate.objects.filter(Q(article_id__in=chunk) | Q(other_id__in=chunk)).delete()
    own = {article.pk: data for article, data in sketched if data is not None}
    if not own:
        return {}
    keys = {pk: band_keys(data) for pk, data in own.items()}
    rows_insert(ArticleSketch, ["article", "minhash"], own.items())
    rows_insert(SketchBand, ["article", "key"], ((pk, k) for pk, ks in keys.items() for k in ks))

    holders: dict[int, set[int]] = defaultdict(set)
    for chunk in _chunks(sorted({k for ks in keys.values() for k in ks})):
        for key, article in SketchBand.objects.filter(key__in=chunk).values_list(
            "key", "article_id"
        ):
            holders[key].add(article)
    candidates = {pk: set().union(*(holders[k] for k in ks)) - {pk} for pk, ks in keys.items()}
    others = sorted(set().union(*candidates.values()) - own.keys())
    sketches = dict(own)
    for chunk in _chunks(others):
        sketches.update(
            ArticleSketch.objects.filter(article_id__in=chunk).values_list("article", "minhash")
        )

    pairs: dict[tuple[int, int], float] = {}  # (lower key, higher key): similarity
    for pk, near in candidates.items():
        for other in near:
            pair = (min(pk, other), max(pk, other))
            if pair not in pairs:
                pairs[pair] = similarity(own[pk], bytes(sketches[other]))
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
