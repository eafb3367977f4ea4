"""Exports a stored value cannot forge: a RIS title with line breaks and `ER  -` stays one
field of one record (read back by rispy), and a CSV cell a spreadsheet would run as a formula
starts with a quote (OWASP's rule; read back by Python's csv reader)."""

from __future__ import annotations

import csv
import io

import pytest
import rispy

from archive.models import Article, Author, Authorship, Topic

pytestmark = pytest.mark.django_db

FORGED = "Real title\nER  - \nTY  - JOUR\nTI  - Forged record\r\nAU  - Nobody\u2028KW  - x"
FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.fixture
def forged(db):
    article = Article.objects.create(title=FORGED, slug="forged", excerpt="One\nER  - ")
    author = Author.objects.create(name="Ann\nER  - Forged", slug="ann")
    Authorship.objects.create(article=article, author=author, position=0)
    for number, formula in enumerate(FORMULAS):
        made = Article.objects.create(title=formula, slug=f"formula-{number}")
        topic = Topic.objects.create(name=f"{formula} topic", slug=f"topic-{number}")
        made.topics.add(topic)
    return article


def test_a_ris_title_with_line_breaks_stays_one_record(api, forged):
    text = b"".join(api.get("/api/v1/articles/export.ris").streaming_content).decode()
    records = rispy.loads(text)
    assert len(records) == 1 + len(FORMULAS)
    record = next(r for r in records if r["id"] == "forged")
    assert record["title"] == " ".join(FORGED.split())
    assert record["authors"] == ["Forged, Ann ER -"]
    assert all(r["type_of_reference"] == "ELEC" for r in records)
    one = rispy.loads(api.get("/api/v1/articles/forged/citation.ris").content.decode())
    assert len(one) == 1


def test_csv_cells_are_never_formulas(api, forged):
    text = b"".join(api.get("/api/v1/articles/export.csv").streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    titles = {row["slug"]: row["title"] for row in rows}
    for number, formula in enumerate(FORMULAS):
        assert titles[f"formula-{number}"] == "'" + formula
    topics = {row["slug"]: row["topics"] for row in rows}
    assert topics["formula-0"] == "'" + FORMULAS[0] + " topic"
    assert titles["forged"] == FORGED  # quoted as it is, not a formula
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())
