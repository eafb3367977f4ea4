"""What one import batch wrote that search sees: the articles whose text (title, body,
authors) it wrote, and every article it changed at all (archive.search.batch_indexed)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class SearchBatch:
    texts: set[int] = field(default_factory=set)
    changed: set[int] = field(default_factory=set)

    def wrote(self, article_ids: Iterable[int], *, text: bool) -> None:
        """These articles were written; `text`: their title, body or authors among it."""
        ids = set(article_ids)
        self.changed |= ids
        if text:
            self.texts |= ids
