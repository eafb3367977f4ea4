"""Development settings: a development secret key and local hosts, nothing else loosened."""

import os

from .base import *  # noqa: F403
from .base import env_list

SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "django-insecure-local-development-key-not-for-production"
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
