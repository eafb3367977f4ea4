"""OAI-PMH requests no harvester should send: each is the protocol's error (or an answer), in
valid XML, never a 500 — far dates, made-up resumption tokens, identifiers that NFKC would turn
into another record's."""

from __future__ import annotations

import base64
import json

import pytest

from archive.models import Article
from archive.oai import records
from tests.web.test_oai_pmh import valid

pytestmark = pytest.mark.django_db


def token(**state) -> str:
    base = {"p": "oai_dc", "f": None, "u": None, "s": None,
            "a": ["2024-01-01T00:00:00+00:00", 1], "n": 1}  # fmt: skip
    raw = json.dumps({**base, **state}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


BAD_TOKENS = [
    token(a=["not a date", 1]),
    token(a=["2024-01-01T00:00:00", 1]),  # no zone: not one the repository writes
    token(a=[5, 1]),
    token(a=["2024-01-01T00:00:00+00:00", -1]),
    token(a=["2024-01-01T00:00:00+00:00", 2**70]),
    token(a=["2024-01-01T00:00:00+00:00", "1"]),
    token(a=["2024-01-01T00:00:00+00:00"]),
    token(s=5),
    token(s=["topic"]),
    token(s="topic:\x00x"),
    token(n=-5),
    token(n=1.5),
    token(f="9999-99-99"),
    token(p=7),
    "%00",
    "\x00",
]


@pytest.fixture
def answer(client, debian_tool, tmp_path, imported_seeds):
    xmllint = debian_tool("xmllint", "libxml2-utils")

    def ask(**params) -> str:
        response = client.get("/oai", params)
        assert response.status_code == 200
        text = response.content.decode()
        valid(xmllint, tmp_path / "answer.xml", text)
        return text

    return ask


@pytest.mark.parametrize("bad", BAD_TOKENS)
def test_a_made_up_token_is_bad_resumption_token(answer, bad):
    text = answer(verb="ListRecords", resumptionToken=bad)
    assert 'code="badResumptionToken"' in text
    assert 'cursor="-' not in text


@pytest.mark.parametrize("until", ["9999-12-31", "9999-12-31T23:59:59Z"])
def test_the_last_day_there_is_answers_every_record(answer, until):
    text = answer(verb="ListIdentifiers", metadataPrefix="oai_dc", until=until)
    assert text.count("<identifier>") == min(
        records.PAGE_SIZE, Article.objects.filter(is_stub=False).count()
    )


@pytest.mark.parametrize("digit", ["²", "２", "\u0662"])  # superscript, full-width, Arabic-Indic
def test_an_identifier_is_exact(answer, digit):
    article = Article.objects.filter(is_stub=False).order_by("pk").first()
    identifier = records.identifier(article.pk)[:-1] + digit
    text = answer(verb="GetRecord", metadataPrefix="oai_dc", identifier=identifier)
    assert 'code="idDoesNotExist"' in text


def test_a_token_the_repository_gave_still_resumes(answer, monkeypatch):
    monkeypatch.setattr(records, "PAGE_SIZE", 1)
    first = answer(verb="ListIdentifiers", metadataPrefix="oai_dc")
    given = first.split("<resumptionToken")[1].split(">")[1].split("<")[0]
    assert "<header>" in answer(verb="ListIdentifiers", resumptionToken=given)
