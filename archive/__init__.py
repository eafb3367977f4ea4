"""The Commentary Archive app: models, importer, API and admin for commentary articles."""
