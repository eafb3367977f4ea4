"""Development settings: a development secret key and local hosts, nothing else loosened."""

import os

from .base import *  # noqa: F403
from .base import env_list

SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "django-insecure-local-development-key-not-for-production"
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")

# Static files straight from the apps, no `collectstatic` first: `manage.py runserver` (the
# first thing a Django developer types) and `make run` serve the admin's and the docs' files
# as they are. Production keeps the hashed manifest, built by collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
