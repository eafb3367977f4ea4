"""The statements that read an article page's links, free of Django: archive.page_rows runs
them for the API, benchmarks/bare_wsgi.py for the benchmark's ceiling, so both do the same work.

Table names are placeholders ({authorship}, …), filled from the models or with the default
names (TABLE_NAMES); `{ids}` is the list of placeholders for the page's article ids.
"""

from __future__ import annotations

TABLE_NAMES = {
    "article": "archive_article",
    "publication": "archive_publication",
    "authorship": "archive_authorship",
    "author": "archive_author",
    "article_topic": "archive_article_topics",
    "topic": "archive_topic",
    "article_country": "archive_articlecountry",
    "country": "archive_country",
    "related": "archive_relatedarticle",
    "near_duplicate": "archive_nearduplicate",
}

# Per relation: the statement (article id first), and the names of the values after it.
LINKS = {
    "authors": (
        """SELECT l.article_id, u.slug, u.name, u.honorific FROM {authorship} l
        JOIN {author} u ON u.id = l.author_id
        WHERE l.article_id IN ({ids}) ORDER BY l.article_id, l.position""",
        ("slug", "name", "honorific"),
    ),
    "topics": (
        """SELECT l.article_id, t.slug, t.name FROM {article_topic} l
        JOIN {topic} t ON t.id = l.topic_id
        WHERE l.article_id IN ({ids}) ORDER BY t.name, t.id""",
        ("slug", "name"),
    ),
    "countries": (
        """SELECT l.article_id, c.code, c.name, l.tagged, l.mentions FROM {article_country} l
        JOIN {country} c ON c.id = l.country_id
        WHERE l.article_id IN ({ids})
        ORDER BY l.tagged DESC, CASE WHEN l.tagged THEN l.id ELSE 0 END, l.mentions DESC,
            c.code""",
        ("code", "name", "tagged", "mentions"),
    ),
}

# An article's page shows two more: the articles its cards name, and those nearly the same.
DETAIL_LINKS = {
    "related": (
        """SELECT l.from_article_id, a.slug, a.title, a.published_on, a.is_stub
        FROM {related} l JOIN {article} a ON a.id = l.to_article_id
        WHERE l.from_article_id IN ({ids}) ORDER BY l.from_article_id, l.position, l.id""",
        ("slug", "title", "published_on", "is_stub"),
    ),
    "duplicates_of": (
        """SELECT d.article_id, a.slug, a.title, d.similarity
        FROM {near_duplicate} d JOIN {article} a ON a.id = d.other_id
        WHERE d.article_id IN ({ids}) ORDER BY d.article_id, d.similarity DESC, d.other_id""",
        ("slug", "title", "similarity"),
    ),
}
