"""OAI-PMH (archive/oai), harvested by Sickle, a real harvester, from a live server: the whole
archive, incrementally with `from`, by set, across new imports; every answer validated with
xmllint against the OAI-PMH and oai_dc schemas in tests/schemas/."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from sickle import Sickle, oaiexceptions
from sickle.iterator import OAIResponseIterator

from archive.models import Article
from archive.oai import records
from tests.conftest import NILE

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCHEMA = Path(__file__).resolve().parents[1] / "schemas" / "oai-pmh-oai_dc.xsd"
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


class RecordingSickle(Sickle):
    """Sickle, keeping each answer's XML for the validator."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.answers: list[str] = []

    def harvest(self, **kwargs):
        response = super().harvest(**kwargs)
        self.answers.append(response.raw)
        return response


@pytest.fixture
def harvester(live_server, imported_seeds, debian_tool, tmp_path, monkeypatch):
    """A harvester of the live archive, its pages small enough for several tokens; every
    answer it got is validated when the test ends."""
    monkeypatch.setattr(records, "PAGE_SIZE", 1)
    sickle = RecordingSickle(f"{live_server.url}/oai")
    yield sickle
    assert sickle.answers
    xmllint = debian_tool("xmllint", "libxml2-utils")
    for number, answer in enumerate(sickle.answers):
        valid(xmllint, tmp_path / f"answer-{number}.xml", answer)


def valid(xmllint: str, path: Path, answer: str) -> None:
    path.write_text(answer, encoding="utf-8")
    result = subprocess.run(
        [xmllint, "--noout", "--nonet", "--schema", str(SCHEMA), str(path)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def full_articles():
    return Article.objects.filter(is_stub=False)


def test_a_harvest_gets_every_article_once_in_dublin_core(harvester, api):
    harvested = list(harvester.ListRecords(metadataPrefix="oai_dc"))
    assert len(harvester.answers) > 1  # it followed resumption tokens
    expected = {records.identifier(a.pk): a for a in full_articles()}
    assert sorted(r.header.identifier for r in harvested) == sorted(expected)
    for record in harvested:
        article = expected[record.header.identifier]
        detail = api.get(f"/api/v1/articles/{article.slug}/").json()
        assert record.metadata["title"] == [detail["title"]]
        assert record.metadata.get("creator", []) == [a["name"] for a in detail["authors"]]
        assert record.metadata["identifier"][0].endswith(f"/articles/{article.slug}/")
        assert record.metadata.get("subject", []) == [t["name"] for t in detail["topics"]]
        tagged = [c["name"] for c in detail["countries"] if c["tagged"]]
        assert record.metadata.get("coverage", []) == tagged
        assert f"publication:{detail['publication']['slug']}" in record.header.setSpecs
        assert not record.header.deleted


def test_identify_states_the_deletion_policy_and_granularity(harvester):
    identity = harvester.Identify()
    assert identity.protocolVersion == "2.0"
    assert identity.deletedRecord == "persistent"
    assert identity.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert identity.baseURL.endswith("/oai")
    formats = [f.metadataPrefix for f in harvester.ListMetadataFormats()]
    assert formats == ["oai_dc"]


def test_an_incremental_harvest_gets_the_changes_and_the_deletions(harvester):
    full_articles().update(updated_at=LONG_AGO)  # everything harvested long ago
    changed, removed, *_ = full_articles().order_by("pk")
    changed.title = "A corrected title"
    changed.save()
    Article.objects.filter(pk=removed.pk).delete()
    since = "2025-01-01"
    got = list(harvester.ListRecords(metadataPrefix="oai_dc", **{"from": since}))
    by_id = {r.header.identifier: r for r in got}
    assert sorted(by_id) == sorted([records.identifier(changed.pk), records.identifier(removed.pk)])
    assert by_id[records.identifier(changed.pk)].metadata["title"] == ["A corrected title"]
    assert by_id[records.identifier(removed.pk)].header.deleted
    gone = harvester.GetRecord(identifier=records.identifier(removed.pk), metadataPrefix="oai_dc")
    assert gone.header.deleted and "<metadata>" not in gone.raw
    # `until` before the changes: nothing matches.
    with pytest.raises(oaiexceptions.NoRecordsMatch):
        window = {"from": since, "until": "2025-01-02"}
        list(harvester.ListIdentifiers(metadataPrefix="oai_dc", **window))


def test_a_resumption_token_survives_a_new_import(harvester, tmp_path):
    before = {records.identifier(a.pk) for a in full_articles()}
    headers = harvester.ListIdentifiers(metadataPrefix="oai_dc")
    first = next(headers)
    sources = tmp_path / "new"
    sources.mkdir()
    (sources / NILE.name).write_bytes(NILE.read_bytes())
    call_command("import_articles", str(sources), verbosity=0)  # mid-harvest
    seen = [first.identifier] + [header.identifier for header in headers]
    assert len(seen) == len(set(seen))  # nothing twice
    after = {records.identifier(a.pk) for a in full_articles()}
    assert after > before
    assert set(seen) == after  # nothing lost, and the new articles at the end


SETS = ["country:IR", "topic:us-gulf-policy", "publication",
        "publication:gulf-international-forum", "country"]  # fmt: skip


@pytest.mark.parametrize("set_spec", SETS)
def test_a_sets_harvest_is_the_lists_filter(harvester, api, set_spec):
    kind, _, name = set_spec.partition(":")
    listed = {s.setSpec for s in harvester.ListSets()}
    assert set_spec in listed
    got = {h.identifier for h in harvester.ListIdentifiers(metadataPrefix="oai_dc", set=set_spec)}
    params = {"is_stub": "false", "page_size": 100}
    if name:
        params[kind] = name
    items = api.get("/api/v1/articles/", params).json()["results"]
    slugs = {a.pk: a.slug for a in full_articles()}
    expected = {pk for pk, slug in slugs.items() if slug in {i["slug"] for i in items}}
    if kind == "country" and not name:  # any country
        expected = {pk for pk in slugs if Article.objects.get(pk=pk).country_links.exists()}
    assert got == {records.identifier(pk) for pk in expected}


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"verb": "Explain"}, oaiexceptions.BadVerb),
        ({"verb": "ListRecords"}, oaiexceptions.BadArgument),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"},
         oaiexceptions.CannotDisseminateFormat),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"},
         oaiexceptions.BadArgument),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-01-01",
          "until": "2024-01-01T00:00:00Z"}, oaiexceptions.BadArgument),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "colour:red"},
         oaiexceptions.NoRecordsMatch),
        ({"verb": "ListRecords", "resumptionToken": "not-ours"}, oaiexceptions.BadResumptionToken),
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "colour": "red"},
         oaiexceptions.BadArgument),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:elsewhere:1"},
         oaiexceptions.IdDoesNotExist),
        ({"verb": "ListMetadataFormats", "identifier": "oai:commentary-archive:article/99999"},
         oaiexceptions.IdDoesNotExist),
    ],
)  # fmt: skip
def test_errors_are_the_protocols(harvester, params, error):
    with pytest.raises(error):  # Sickle reads the answer's <error code=…> and raises its kind
        OAIResponseIterator(harvester, params)


def test_the_same_argument_twice_is_a_bad_argument(client, imported_seeds):
    answer = client.get("/oai?verb=Identify&verb=Identify").content.decode()
    assert 'code="badVerb"' in answer
    answer = client.get(
        "/oai?verb=GetRecord&metadataPrefix=oai_dc&metadataPrefix=oai_dc&identifier=x"
    ).content.decode()
    assert 'code="badArgument"' in answer


def test_a_harvester_may_post_its_request(client, imported_seeds):
    answer = client.post("/oai", {"verb": "Identify"})
    assert answer.status_code == 200 and b"<Identify>" in answer.content
    assert client.put("/oai", "verb=Identify").status_code == 405


def test_a_list_page_reads_a_fixed_number_of_queries(client, imported_seeds, monkeypatch):
    monkeypatch.setattr(records, "PAGE_SIZE", 1)
    # live records, deletions, and a page's rows: article, authors, topics, countries; a set
    # named by its code is one more, the list filter's check that the country is one
    for params, expected in (({}, 6), ({"set": "country:IR"}, 6)):
        with CaptureQueriesContext(connection) as queries:
            answer = client.get(
                "/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc", **params}
            )
        assert b"<resumptionToken" in answer.content
        assert len(queries) == expected, [q["sql"] for q in queries]


def test_a_renamed_or_merged_author_or_topic_is_a_change_to_their_articles(
    client, api, imported_seeds
):
    """An article's record is made from its authors' and topics' names: a harvest `from` the
    moment before a rename or merge gets the articles whose record changed."""
    from archive.models import Author, Topic
    from archive.services import authors_merge, topics_merge

    full_articles().update(updated_at=LONG_AGO)
    since = {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": "2025-01-01"}

    def changed() -> set[str]:
        answer = client.get("/oai", since).content.decode()
        return {pk for pk in full_articles().values_list("pk", flat=True)
                if f"<identifier>{records.identifier(pk)}</identifier>" in answer}  # fmt: skip

    assert changed() == set()
    author = Author.objects.filter(articles__is_stub=False).first()
    author.name = "A. N. Other"
    author.save()
    assert changed() == set(author.articles.filter(is_stub=False).values_list("pk", flat=True))
    full_articles().update(updated_at=LONG_AGO)
    author.bio = "A new bio: nothing a record says."
    author.save()
    assert changed() == set()

    topic = Topic.objects.filter(articles__is_stub=False).first()
    tagged = set(topic.articles.filter(is_stub=False).values_list("pk", flat=True))
    topics_merge(into=Topic.objects.create(name="Gulf policy", slug="gulf-policy"), others=[topic])
    assert changed() == tagged
    full_articles().update(updated_at=LONG_AGO)
    duplicate = Author.objects.create(name="A. Other", slug="a-other")
    credited = set(author.articles.filter(is_stub=False).values_list("pk", flat=True))
    authors_merge(into=duplicate, others=[author])
    assert changed() == credited
