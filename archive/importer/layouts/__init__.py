"""Page layouts. Each module is one: `NAME`, `fit(text)` (how well a page fits it, 0 to 1)
and `parse(text, …)` (the page as an ArticleRecord). A second publication's layout is one new
module listed in LAYOUTS, and its fixture pages."""

from __future__ import annotations

from . import commentary

LAYOUTS = (commentary,)
