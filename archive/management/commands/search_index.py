"""`manage.py search_index rebuild|sync|check`: the node's search index (docs/search.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from archive.search.engine import SearchIndex


class Command(BaseCommand):
    help = "Rebuild the search index, apply pending changes to it, or compare it with the database."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "sync", "check"])
        parser.add_argument("--index", help="the index folder (default: SEARCH_INDEX_DIR)")
        parser.add_argument(
            "--as-is",
            action="store_true",
            help="check: compare without applying pending changes first (as a search would)",
        )

    def handle(self, *args, action, index, as_is, **options):
        search_index = SearchIndex(index)
        if action == "check" and not as_is and search_index.position() is not None:
            action = "sync-check"  # a node that lags has nothing wrong: compare once current
        if action == "rebuild":
            done = search_index.rebuild()
            self.stdout.write(
                f"indexed {done['articles']} articles in {done['seconds']:.1f} s, "
                f"up to change {done['position']}"
            )
        elif action in ("sync", "sync-check"):
            done = search_index.sync()
            if done.get("rebuilt"):
                self.stdout.write(
                    f"no usable index: rebuilt, {done['articles']} articles, "
                    f"up to change {done['position']}"
                )
            else:
                self.stdout.write(
                    f"applied {done['changes']} changes ({done['articles']} articles), "
                    f"up to change {done['position']}"
                )
        if action in ("check", "sync-check"):
            if search_index.position() is None:
                raise CommandError(f"no index at {search_index.folder}: run `search_index rebuild`")
            differences = search_index.check()
            for line in differences[:100]:
                self.stdout.write(line)
            self.stdout.write(f"{len(differences)} differences")
            if differences:
                raise CommandError("the index differs from the database", returncode=1)
