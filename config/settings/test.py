"""Test settings: fast hashing, no static manifest; the database still follows DATABASE_URL."""

from .local import *  # noqa: F403
from .local import DATABASES, MIDDLEWARE, REST_FRAMEWORK

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Tests serve no static files; WhiteNoise would only warn that STATIC_ROOT isn't built.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise")]
# The suite makes many anonymous requests; throttling has its own test that sets a rate.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {**REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": None},
}
# One process: its own memory is the cache every test sees (cleared around each test); the
# shared cache across worker processes is tested against real gunicorn workers.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DATABASES = {"default": DATABASES["default"]}
