"""Identifiers of countries beyond ISO 3166: each country's Wikidata item, from the shipped table
(archive/reference/README.md says where it comes from)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

TABLE = Path(__file__).parent / "reference" / "country_wikidata.tsv"
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"  # + an item id: the form linked data uses


@cache
def wikidata_ids() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> Wikidata item id (`Q794`)."""
    with TABLE.open(encoding="utf-8", newline="") as rows:
        return {row["code"]: row["wikidata"] for row in csv.DictReader(rows, delimiter="\t")}
