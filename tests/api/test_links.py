"""Every list names its neighbours in a `Link` header (RFC 8288), read here by the parser that
`requests`, the HTTP client most Python harvesters use, reads them with."""

from __future__ import annotations

import pytest
from requests.utils import parse_header_links

pytestmark = pytest.mark.django_db

SERVER = "http://testserver"


def links(response) -> dict[str, str]:
    return {link["rel"]: link["url"] for link in parse_header_links(response["Link"])}


@pytest.mark.parametrize(
    ("path", "params"),
    [("/api/v1/articles/", {}), ("/api/v1/articles/", {"country": "IR"}),
     ("/api/v1/articles/", {"q": "iran"}), ("/api/v1/countries/", {})],
)  # fmt: skip
def test_following_next_links_walks_the_whole_list(api, imported_seeds, path, params):
    first = api.get(path, {**params, "page_size": 2})
    walked, response, pages = [], first, 0
    while True:
        assert response.status_code == 200
        body, named = response.json(), links(response)
        assert named.get("next") == body["next"] and named.get("prev") == body["previous"]
        assert named["first"] == links(first)["first"] and named["last"] == links(first)["last"]
        walked += body["results"]
        pages += 1
        if "next" not in named:
            break
        response = api.get(named["next"].removeprefix(SERVER))
    assert len(walked) == first.json()["count"]
    last = api.get(links(first)["last"].removeprefix(SERVER))
    assert last.json()["results"] == body["results"] and pages == -(-len(walked) // 2)
    assert "prev" not in links(first)
    assert api.get(links(first)["first"].removeprefix(SERVER)).json() == first.json()
