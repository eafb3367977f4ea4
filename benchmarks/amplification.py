"""What one hostile page multiplies: a page naming 100,000 topics and one carrying 10,000 cards
are imported into the database DATABASE_URL names (empty, migrated here), then the sizes of the
answers they touch are measured: OAI-PMH's ListSets, each page's landing page and API detail.

    DATABASE_URL=sqlite:////tmp/amp.sqlite3 python -m benchmarks.amplification FOLDER

Prints one JSON line (docs/reliability.md, "Pages that multiplied every read")."""

from __future__ import annotations

import json
import os
import sys
import time
from contextlib import suppress
from pathlib import Path

FIXTURE = (
    Path(__file__).resolve().parent.parent / "fixtures" / "sources" / "100_a1b2c3d4e5f60718.txt"
)
TOPICS = 100_000
CARDS = 10_000


def pages(folder: Path) -> None:
    nile = FIXTURE.read_text()
    topics = ", ".join(f"Topic number {n}" for n in range(TOPICS))
    (folder / "100_topics.txt").write_text(
        nile.replace("Issue: Water Security, Regional Diplomacy", f"Issue: {topics}")
    )
    cards = "".join(
        f"\n\nCard Title Number {n}\n\nFebruary 12, 2024\n\nA card's excerpt...\n"
        for n in range(CARDS)
    )
    (folder / "101_cards.txt").write_text(
        nile.replace("Water Diplomacy on the Nile", "Another Nile Page").replace(
            "Country: Egypt, Ethiopia, Sudan\n", "Country: Egypt, Ethiopia, Sudan\n" + cards, 1
        )
    )


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.core.management import CommandError, call_command
    from django.test import Client

    from archive.models import Article, Topic

    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    pages(folder)
    call_command("migrate", verbosity=0)
    started = time.monotonic()
    with suppress(CommandError):
        call_command("import_articles", str(folder), verbosity=0)
    client = Client(HTTP_HOST="localhost")
    first = Article.objects.get(source_name="100_topics")
    second = Article.objects.get(source_name="101_cards")
    sizes = {
        "import_seconds": round(time.monotonic() - started, 1),
        "topics": Topic.objects.count(),
        "articles": Article.objects.count(),
        "list_sets_bytes": len(client.get("/oai", {"verb": "ListSets"}).content),
        "landing_topics_bytes": len(client.get(f"/articles/{first.slug}/").content),
        "landing_cards_bytes": len(client.get(f"/articles/{second.slug}/").content),
        "detail_cards_bytes": len(client.get(f"/api/v1/articles/{second.slug}/").content),
    }
    print(json.dumps(sizes))


if __name__ == "__main__":
    main()
