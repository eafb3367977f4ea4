"""Sizes the archive accepts, the same on every way in (importer, API, admin)."""

# An article's text (title, lead, body): some 80,000 words, far past any commentary piece.
# Longer texts cost search (snippets, ranking) more than they are worth, and PostgreSQL cannot
# index a text whose tsvector passes 1 MB.
TEXT_MAX_CHARS = 500_000

# A request body: an article's longest text as JSON with every character escaped (\uXXXX).
REQUEST_MAX_BYTES = 6 * TEXT_MAX_CHARS + 64 * 1024

# A source file: a real article page is tens of kilobytes.
SOURCE_MAX_BYTES = 5 * 1024 * 1024

# JSON request bodies: nesting past this is no record of ours (and Python's parser would
# recurse until it fails).
JSON_MAX_DEPTH = 32

# Related records named in one write (authors, topics, countries) or on one imported page
# (authors, topics, countries, cards): more is no article, and one page's 100,000 topics made
# every later list of sets, landing page and admin page megabytes long.
RELATED_MAX_ITEMS = 100

# Field lengths, the models' max_length and what an imported page's values are fitted to:
# SQLite stores a longer value that PostgreSQL refuses, so both are held to these.
TITLE_MAX_CHARS = 500
NAME_MAX_CHARS = 200  # an author's, topic's or publication's name
HONORIFIC_MAX_CHARS = 30
ACRONYM_MAX_CHARS = 20

# Each request's time in the database, in milliseconds (DJANGO_REQUEST_DB_BUDGET_MS).
REQUEST_DB_BUDGET_MS = 5_000
