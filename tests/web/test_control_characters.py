"""Control characters: refused at the doors (the API names the field, the importer removes them
and says so), and harmless when already stored. An archive whose titles, names and bios hold
every C0 control character XML cannot carry is harvested whole by Sickle, every answer valid
to xmllint; its feed is valid to jing and read by feedparser; its network by igraph."""

from __future__ import annotations

from io import StringIO

import feedparser
import igraph
import pytest
from django.core.management import call_command
from django.db import connection

from archive.models import Article, Author, Country, Topic
from archive.oai import records
from archive.text import NOT_XML
from tests.conftest import NILE, SEEDS
from tests.web.test_feeds import FEED
from tests.web.test_feeds import valid as valid_atom
from tests.web.test_oai_pmh import RecordingSickle
from tests.web.test_oai_pmh import valid as valid_oai


def controls() -> list[str]:
    """Every C0 character XML 1.0 cannot carry; PostgreSQL cannot store NUL at all."""
    codes = [c for c in range(32) if chr(c) not in "\t\n\r"]
    if connection.vendor == "postgresql":
        codes.remove(0)
    return [chr(c) for c in codes]


def store_controls() -> None:
    """Write them straight into the rows, past every door (as data from before the doors
    checked, or a hand-made fix in the database)."""
    chars = controls()
    for number, article in enumerate(Article.objects.order_by("pk")):
        bad = chars[number % len(chars)]
        Article.objects.filter(pk=article.pk).update(
            title=f"{article.title}{bad}", excerpt=f"{bad}{article.excerpt}"
        )
    for number, author in enumerate(Author.objects.order_by("pk")):
        Author.objects.filter(pk=author.pk).update(name=f"{author.name}{chars[-1 - number]}")
    Topic.objects.update(name="Gulf\x1b policy")
    Country.objects.filter(code__in=["IR", "US"]).update(name="Iran\x07")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_whole_harvest_over_every_control_character_is_valid(
    live_server, debian_tool, tmp_path, monkeypatch
):
    call_command("import_articles", str(SEEDS), str(NILE), verbosity=0)
    store_controls()
    monkeypatch.setattr(records, "PAGE_SIZE", 2)
    harvester = RecordingSickle(f"{live_server.url}/oai")

    harvested = list(harvester.ListRecords(metadataPrefix="oai_dc"))
    identifiers = list(harvester.ListIdentifiers(metadataPrefix="oai_dc"))
    sets = list(harvester.ListSets())
    one = harvester.GetRecord(identifier=harvested[0].header.identifier, metadataPrefix="oai_dc")
    # A token holding a control character is refused in valid XML too.
    harvester.answers.append(_raw(f"{live_server.url}/oai?verb=ListRecords&resumptionToken=%07"))

    whole = Article.objects.filter(is_stub=False).count()
    assert len(harvested) == len(identifiers) == whole
    assert not any(NOT_XML.search(t) for r in harvested for t in r.metadata["title"])
    assert "Iran" in {s.setName for s in sets}
    assert one.metadata["title"][0] == harvested[0].metadata["title"][0]
    xmllint = debian_tool("xmllint", "libxml2-utils")
    for number, answer in enumerate(harvester.answers):
        valid_oai(xmllint, tmp_path / f"answer-{number}.xml", answer)


def _raw(url: str) -> str:
    import requests

    return requests.get(url, timeout=10).text


@pytest.mark.django_db
def test_the_feed_and_the_network_over_control_characters_are_valid(
    client, api, debian_tool, tmp_path
):
    call_command("import_articles", str(SEEDS), str(NILE), verbosity=0)
    store_controls()

    for params in ({}, {"country": "IR"}):
        response = client.get(FEED, params)
        assert response.status_code == 200
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.entries
        valid_atom(debian_tool, tmp_path, response.content)

    network = api.get("/api/v1/articles/co-mentions.graphml", {"limit": 100})
    assert network.status_code == 200
    path = tmp_path / "network.graphml"
    path.write_bytes(network.content)
    graph = igraph.Graph.Read_GraphML(str(path))
    assert "Iran" in set(graph.vs["name"])


@pytest.mark.django_db
@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x0b", "\ufffe"])
def test_the_api_refuses_a_control_character_naming_the_field(editor, char):
    answer = editor.post("/api/v1/articles/", {"title": f"Bell{char}"}, format="json")
    assert answer.status_code == 400
    assert "XML cannot carry" in answer.json()["title"][0]
    answer = editor.post(
        "/api/v1/articles/", {"title": "Fine", "sections": ["One", f"T{char}wo"]}, format="json"
    )
    assert answer.status_code == 400
    assert list(answer.json()) == ["sections"]
    answer = editor.post("/api/v1/authors/", {"name": "A", "bio": f"x{char}"}, format="json")
    assert (answer.status_code, list(answer.json())) == (400, ["bio"])
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_the_admin_refuses_a_control_character(admin_client):
    answer = admin_client.post(
        "/admin/archive/topic/add/", {"name": "Bell\x07", "slug": "bell"}, follow=True
    )
    assert not Topic.objects.filter(slug="bell").exists()
    assert "XML cannot carry" in answer.content.decode()


@pytest.mark.django_db
def test_the_importer_removes_control_characters_and_names_the_file(source_dir):
    page = NILE.read_text().replace("Nile", "Ni\x07le", 1)
    (source_dir / NILE.name).write_text(page.replace("\n\n", "\n\n\x1b", 1))
    out = StringIO()
    call_command("import_articles", str(source_dir), verbosity=2, stdout=out)
    article = Article.objects.get(source_name=NILE.stem)
    assert not NOT_XML.search(article.title + article.body)
    assert "removed 2 control characters that XML cannot carry" in out.getvalue()
    assert NILE.stem in out.getvalue()


def test_plain_spaces_knows_every_space_of_unicode():
    """text.plain_spaces: every space separator Unicode has becomes a plain space, and the
    characters that take no room go (zero-width joiners stay: scripts spell with them)."""
    import sys
    import unicodedata

    from archive.text import plain_spaces

    spaces = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Zs"]
    assert plain_spaces("a" + "a".join(spaces) + "a") == "a" + "a".join(" " * len(spaces)) + "a"
    assert plain_spaces("Pyong\u200byang\u00ad \u2060x\ufeff") == "Pyongyang x"
    assert plain_spaces("\u200c\u200d") == "\u200c\u200d"
