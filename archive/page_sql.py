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
