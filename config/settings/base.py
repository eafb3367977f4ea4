"""Settings shared by every environment; the environment is read here and nowhere else."""

import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from archive.limits import REQUEST_DB_BUDGET_MS, REQUEST_MAX_BYTES

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_rate(name: str, default: str) -> str | None:
    """A DRF rate ("600/minute"), or None for `off` (load tests: nothing counted at all)."""
    value = os.environ.get(name, "").strip() or default
    return None if value.lower() in {"off", "none"} else value


DEBUG = env_bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

INSTALLED_APPS = [
    # First: its templates override the admin's and django-simple-history's (the dashboard,
    # the history's actor).
    "archive",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "corsheaders",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "archive.budget.RequestBudgetMiddleware",
    "archive.text.QueryNormalizeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "archive.api.throttles.DoorRateMiddleware",  # the API's rate at every other door
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

# Content-Security-Policy on every page (admin, API docs, browsable API): scripts, styles,
# images and fonts from this site only, no inline script, no framing, no plugins. Inline style
# attributes stay allowed: the admin's templates and widgets set a few.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Password guessing: after AXES_FAILURE_LIMIT failed logins for one user name from one address,
# that pair is refused (429) for AXES_COOLOFF_TIME hours; a success resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("DJANGO_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "archive.clients.client_address"  # the API's rule, behind proxies too

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def database_from_env() -> dict:
    """`DATABASE_URL` when set (and not empty), else the SQLite file at the project root."""
    url = os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers (the API) run while an import writes; IMMEDIATE makes a writing
        # transaction take the write lock up front instead of failing half-way with "locked".
        # Connections persist (one per worker thread) so that each keeps its 64 MiB page cache
        # warm: a new connection per request read every page afresh, and at 100,000 articles a
        # filtered list took twice as long (docs/benchmarks.md).
        config["CONN_MAX_AGE"] = int(os.environ.get("DJANGO_CONN_MAX_AGE", "600"))
        config["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000; PRAGMA cache_size=-65536;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # Django turns psycopg's prepared statements off; archive.page_rows binds its fixed
        # statements on the server so that they are planned once a connection, from their
        # sixth use. Django's own cursors bind on the client and are never prepared.
        config["OPTIONS"] = {**config.get("OPTIONS", {}), "prepare_threshold": 5}
    return config


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an anonymous write is answered 401 with WWW-Authenticate.
        "archive.api.authentication.LimitedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "archive.api.guards.QueryParamGuard",
        "archive.api.guards.FilterBackend",
    ],
    "DEFAULT_PAGINATION_CLASS": "archive.api.pagination.ArchivePagination",
    "PAGE_SIZE": 20,
    # JSON in, as the schema says: HTML-form parsing would read "" as "not given".
    "DEFAULT_PARSER_CLASSES": ["archive.api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "archive.api.schema.ArchiveAutoSchema",
    "EXCEPTION_HANDLER": "archive.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["archive.api.throttles.ClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("DJANGO_API_ANON_RATE", "600/minute"),
        "export": env_rate("DJANGO_API_EXPORT_RATE", "60/hour"),
        "auth_failure": env_rate("DJANGO_API_AUTH_FAILURE_RATE", "30/minute"),
    },
    # Proxies in front of the app: 0 (the default) trusts no X-Forwarded-For at all; with 1,
    # the client is the last address in it (archive.clients).
    "NUM_PROXIES": int(os.environ.get("DJANGO_NUM_PROXIES", "0")),
}

# Counts that every worker process must share (throttles, the token-guess limit): Redis when
# DJANGO_CACHE_URL names one, else a table in a database every process reaches. With SQLite
# that table lives in a file of its own, so that counting a request never waits for an
# import's write lock on the archive (`make migrate` creates it).
CACHE_URL = os.environ.get("DJANGO_CACHE_URL", "").strip()
if CACHE_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "archive_cache",
        }
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["cache"] = {
            **DATABASES["default"],
            "NAME": f"{DATABASES['default']['NAME']}-cache",
            "TEST": {"NAME": None},
        }
DATABASE_ROUTERS = ["archive.routers.CacheRouter", "archive.routers.KeptByTheDatabase"]

SPECTACULAR_SETTINGS = {
    "TITLE": "Commentary Archive API",
    "DESCRIPTION": (
        "Think-tank commentary as structured records. Reads are open; writes need a token "
        "(`Authorization: Token …`) or a session, and the model permission."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "archive.api.schema.request_string_patterns",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# A request body: an article's longest text, written as JSON with every character escaped.
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BYTES

# Each request's database time, enforced by the database; past it the answer is 503.
REQUEST_DB_BUDGET_MS = int(os.environ.get("DJANGO_REQUEST_DB_BUDGET_MS", REQUEST_DB_BUDGET_MS))
# Streamed exports (archive.api.streams): at most this many at once in all, and per client,
# across every worker; each ends after its seconds; an anonymous one holds at most its rows.
EXPORT_STREAMS = int(os.environ.get("DJANGO_EXPORT_STREAMS", "4"))
EXPORT_STREAMS_PER_CLIENT = int(os.environ.get("DJANGO_EXPORT_STREAMS_PER_CLIENT", "2"))
EXPORT_SECONDS = int(os.environ.get("DJANGO_EXPORT_SECONDS", "120"))
EXPORT_MAX_ROWS = int(os.environ.get("DJANGO_EXPORT_MAX_ROWS", "20000"))

# Seconds a public (anonymous) API answer may be cached by clients and proxies.
API_CACHE_SECONDS = int(os.environ.get("DJANGO_API_CACHE_SECONDS", "60"))

# Cross-origin reads from any origin unless restricted; writes are never cross-origin.
CORS_ALLOWED_ORIGINS = env_list("DJANGO_CORS_ALLOWED_ORIGINS")
CORS_ALLOW_ALL_ORIGINS = not CORS_ALLOWED_ORIGINS
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_URLS_REGEX = r"^/api/.*$"


# This node's search index (archive.search.engine): one folder per database.
def _index_folder_name(database: dict) -> str:
    """A folder name of the database's own: its name, and a digest of where it lives."""
    where = f"{database.get('HOST', '')}:{database.get('PORT', '')}/{database['NAME']}"
    return f"{Path(str(database['NAME'])).name}-{hashlib.sha1(where.encode()).hexdigest()[:8]}"


SEARCH_INDEX_DIR = Path(
    os.environ.get("DJANGO_SEARCH_INDEX_DIR", "").strip()
    or BASE_DIR / "search-index" / _index_folder_name(DATABASES["default"])
)

# Who answers article lists (archive.reads.reader_for): "" lets the search index answer what it
# can; "database" sends every list to the database (an index known to be broken).
ARTICLE_READER = os.environ.get("DJANGO_ARTICLE_READER", "").strip().lower()
if ARTICLE_READER not in ("", "database"):
    raise ImproperlyConfigured('DJANGO_ARTICLE_READER is "database" or empty.')

# Where `import_articles` looks when it is given no path.
ARCHIVE_SEEDS_DIR = BASE_DIR / "seeds"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# OAI-PMH (archive/oai): the repository's name and contact in Identify, and the name that
# makes its record identifiers (oai:<identifier>:article/<id>), kept when the host changes.
OAI_REPOSITORY_NAME = os.environ.get("DJANGO_OAI_REPOSITORY_NAME", "Commentary Archive")
OAI_ADMIN_EMAIL = os.environ.get("DJANGO_OAI_ADMIN_EMAIL", "archive@example.org")
OAI_REPOSITORY_IDENTIFIER = os.environ.get("DJANGO_OAI_REPOSITORY_IDENTIFIER", "commentary-archive")
