"""The archive's HTML pages, for readers and for the tools that read pages (Zotero, Google
Scholar, crawlers): the home page, an article's landing page, the sitemap."""
