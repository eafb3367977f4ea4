"""Import scraped article pages: read bytes -> decode -> parse (pure) -> load (ORM)."""
