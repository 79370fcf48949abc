"""Settings shared by every profile. Values that differ between machines come from the
environment (see README, "Variables d'environnement"); the defaults suit a first local run."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_list, env_str

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
# Development-only key; production.py requires DJANGO_SECRET_KEY instead.
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
# Former keys, comma-separated, while a new one takes over: sessions and API tokens (stored as
# an HMAC keyed by the secret key) made under them keep working.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cms",
    "api_common",
    "page_cache",
    "access_log",
    "task_queue",
    "territories",
    "public_site",
    "workflows",
    "indicators",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django_filters",
    "drf_spectacular_sidecar",
    "drf_spectacular",
    "django_q",
    "pgtrigger",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The cached "être recontacté" form: same-origin posts without a token (public_site.spam).
    "public_site.middleware.ContactFormCsrfMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "access_log.context.ClientAddressMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "api_common.middleware.HostileQueryMiddleware",
]

ROOT_URLCONF = "cms.urls"
# Reverse proxies of our own in front of gunicorn (nginx: 1). The rate limits read the
# visitor's address from X-Forwarded-For only through them.
TRUSTED_PROXY_COUNT = int(env_str("DJANGO_TRUSTED_PROXY_COUNT", "0"))
WSGI_APPLICATION = "cms.wsgi.application"
# How long the access log keeps its entries (CNIL: about a year for traceability logs).
ACCESS_LOG_RETENTION_DAYS = int(env_str("ACCESS_LOG_RETENTION_DAYS", "365"))

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/mission_locale.
# Without it, a SQLite file in the project.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env_str("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Our statements are short, or one pass over a period's history (indicators.counting):
    # JIT compiling costs them more than it saves (about a second for the figures), and
    # grouping a year of history wants more than the 4 MB default to stay in memory.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c jit=off -c work_mem={env_str('DATABASE_WORK_MEM', '32MB')}"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The background workers write beside the web process (each task's receipt). SQLite's
    # default deferred transactions fail at once with "database is locked" when two of them
    # read and then both try to write; an IMMEDIATE one takes the write lock when it begins
    # and waits for it up to `timeout` seconds instead.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ml",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Full-page cache for anonymous visitors (page_cache/). On by default only with Redis:
# with local memory, one gunicorn worker would not see another's invalidation. PAGE_CACHE=1
# turns it on for a single-process server without Redis.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", bool(REDIS_URL))
PAGE_CACHE_LOCAL_ENTRIES = 256  # per worker, in front of the shared cache
# Apps whose saved or deleted rows (snippets and their children) can show on a public page.
PAGE_CACHE_WATCHED_APPS = ("public_site", "territories")
PAGE_CACHE_IGNORED_MODELS = ("public_site.ContactRequest",)  # never shown on a page
# Query parameters the site links to that may be part of a cached page's key: the agenda's
# later weeks and filters (public_site/models/agenda.py). Any other query bypasses the cache.
PAGE_CACHE_QUERY_PARAMETERS = ("periode", "page", "commune", "service", "near")

# django-q2 on its ORM broker, in the database, in every profile: a message stays in the table,
# locked, until its result is saved, and comes back once the lock (`retry`) expires, so a
# worker killed in the middle of a task (SIGKILL, a crash, a redeploy) loses nothing. Redis'
# broker has no such receipt: a task pulled by a cluster that dies is gone. `retry` must stay
# longer than `timeout`, or a slow task would be handed to a second worker while it runs.
# A delivered-again task does no harm: each one does its work once (`task_queue.receipts`).
# A failing task is tried `max_attempts` times, then waits in "Tâches en échec" (admin).
Q_CLUSTER = {
    "name": "mission_locale",
    "workers": int(env_str("Q_WORKERS", "2")),
    "timeout": 60,
    "retry": 120,
    "max_attempts": 3,
    "queue_limit": 50,
    "bulk": 10,
    "catch_up": False,
    "label": _("Tâches de fond"),
    "orm": "default",
}

# French first. Source strings are written in French and wrapped for translation, so the
# product reads in French without compiled catalogues, and English can be added in locale/.
LANGUAGE_CODE = "fr-fr"
# Wagtail's page and snippet editors show and read dates the French way: with its default
# (ISO), a date typed as 24/12/2026 was replaced by today's when the field lost focus.
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
LANGUAGES = [("fr", "Français"), ("en", "English")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Without collectstatic, WhiteNoise serves straight from the apps' static folders.
WHITENOISE_USE_FINDERS = True

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Where the API lives (JSON errors there, HTML elsewhere), and the largest JSON body an
# anonymous client may send (the "être recontacté" endpoint): refused before it is read.
API_URL_PREFIX = "/api/"
API_ANONYMOUS_MAX_BODY_BYTES = 64 * 1024

WAGTAIL_SITE_NAME = env_str("WAGTAIL_SITE_NAME", "Mission Locale")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL full-text search, with French stemming.
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "french"
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL

REST_FRAMEWORK = {
    # Token first: an anonymous client is then told 401 with `WWW-Authenticate: Bearer`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api_common.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "api_common.pagination.BoundedPageNumberPagination",
    "DEFAULT_PARSER_CLASSES": [
        "api_common.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Mission Locale",
    "DESCRIPTION": (
        "Pages publiques (Wagtail API v2, sous /api/v2/, hors de ce schéma), agenda des "
        "permanences, demandes « être recontacté » et parcours des jeunes. Authentification "
        "par jeton (`Authorization: Bearer wagtail_…`, jetons créés pour 90 jours, un an au "
        "plus, et révoqués par un administrateur dans l'administration ; un jeton expiré ou "
        "révoqué reçoit une erreur 401) ou par la session de l'administration.\n\n"
        "Toute erreur répond en JSON, en français : `detail` (la phrase à montrer), `code` "
        "(stable, pour les programmes) et, pour un 400, `errors` (messages par champ ou par "
        "paramètre). Une méthode non listée pour une adresse répond 405 (avec l'en-tête "
        "`Allow`) ; un corps trop grand 413, avant d'être lu (64 Ko sans authentification) ; "
        "un corps qui n'est pas du JSON 415 ; trop de demandes 429 avec `Retry-After` en "
        "secondes. Un paramètre typé (date, nombre, valeur d'une liste) envoyé vide répond "
        "400 : retirez-le plutôt. Les identifiants sont des entiers à partir de 1."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PREPROCESSING_HOOKS": ["api_common.schema.exclude_non_drf_endpoints"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api_common.schema.document_what_every_endpoint_does",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    # One schema name per shared vocabulary, however many fields use it.
    "ENUM_NAME_OVERRIDES": {
        "NeedAreaEnum": "workflows.choices.NeedArea",
        "StageCategoryEnum": "workflows.choices.StageCategory",
        "PathwaySourceEnum": "workflows.choices.PathwaySource",
        "ContactKindEnum": "workflows.choices.ContactKind",
        "FieldTypeEnum": "workflows.choices.FieldType",
    },
    # The schema is checked by the test suite against a migrated database, not by
    # `check --deploy`, which may run before migrations.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail 8 runs search and reference-index updates as tasks; one line each is noise.
        "django_tasks": {"level": "WARNING"},
    },
}

# ---------------------------------------------------------------------------------------------
# Login and sessions (issue 14): lockout, passwords, second factor, session limits.
# Kept in one block, appended to INSTALLED_APPS and MIDDLEWARE, so it merges with other changes.
# ---------------------------------------------------------------------------------------------
INSTALLED_APPS += [  # noqa: F405
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]
MIDDLEWARE += [  # noqa: F405
    # After MessageMiddleware: an expired session is told why on the login page.
    "cms.accounts.sessions.SessionLimitsMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cms.accounts.middleware.SecondFactorMiddleware",
    # Last, as django-axes asks: it turns a lockout into the French lockout page.
    "axes.middleware.AxesMiddleware",
]
# django-axes first: it refuses a locked-out user before any password is checked. The API's
# tokens do not go through authenticate() and are not counted.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five failures for one account from one address lock that pair for 15 minutes; another
# address, or another account from that address, is not locked (a colleague behind the same
# proxy still logs in). The address is read through our proxies, as the rate limits read it.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_CLIENT_IP_CALLABLE = "access_log.client.client_address"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Sign-ins and failed attempts (username, address) kept for a security review, then erased
# daily (cms.accounts.tasks).
SIGN_IN_LOG_RETENTION_DAYS = int(env_str("SIGN_IN_LOG_RETENTION_DAYS", "90"))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "cms/login_locked.html"
AXES_COOLOFF_MESSAGE = _(
    "Compte bloqué après trop de tentatives de connexion. Réessayez dans 15 minutes."
)
AXES_PERMALOCK_MESSAGE = _(
    "Compte bloqué après trop de tentatives de connexion. Contactez un administrateur."
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Without "Se souvenir de moi": the admin session always ends when the browser closes.
WAGTAILADMIN_USER_LOGIN_FORM = "cms.accounts.forms.LoginForm"

# A TOTP code after the password for the workflow roles and superusers (cms.accounts). Off in
# the dev and test profiles, so the demo and the suite log in with a password alone.
TWO_FACTOR_REQUIRED = True
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME

# The demo commands create accounts with a published password: the production profile turns
# this off (cms.management.production_guard).
DEMO_DATA_ALLOWED = True

# Sessions: 8 hours at most from login, whatever the activity (the expiry is not pushed back
# on each request, and cms.accounts.sessions enforces the cap), 30 minutes without a request,
# and ended when the browser closes. Messages live in the session, not in a cookie: they may
# name a young person.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_IDLE_TIMEOUT = 30 * 60
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Security headers ------------------------------------------------------------------
# One source of truth for the policies: django-csp and cms/middleware.py read them here, and
# the page cache stores the headers they set with each page, so a page served from the
# cache carries the same ones as a rendered page (no nonce: a stored page is shared).
_SELF = "'self'"
_NONE = "'none'"
# The public site: no inline script or style, nothing from another origin, never framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:"],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        "object-src": [_NONE],
        "base-uri": [_SELF],
        "form-action": [_SELF],
        "frame-ancestors": [_NONE],
    },
}
# The admin (paths under ADMIN_URL_PREFIX, cms/middleware.py): Wagtail 8 still writes some
# inline script and style attributes there, so it enforces what it can, and reports against
# the public site's policy (same directives, but framing its own previews) without blocking.
ADMIN_URL_PREFIX = "/admin/"
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [_SELF, "'unsafe-inline'"],
        "style-src": [_SELF, "'unsafe-inline'"],
        "img-src": [_SELF, "data:", "blob:"],
        "frame-ancestors": [_SELF],
    },
}
CONTENT_SECURITY_POLICY_REPORT_ONLY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "img-src": [_SELF, "data:", "blob:"],
        "frame-ancestors": [_SELF],
    },
}
# Browser features no page of ours uses (the commune finder asks for a name, not a
# position): refused to the page and to anything it might frame.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
# Right after SecurityMiddleware: every response gets them, even one that a later middleware
# answers itself (a redirect, the API's refusals).
MIDDLEWARE = [
    MIDDLEWARE[0],
    "cms.middleware.ProjectCSPMiddleware",
    "cms.middleware.PermissionsPolicyMiddleware",
    *MIDDLEWARE[1:],
]
# The admin asks nothing of third parties: no Gravatar (it would send a hash of each
# editor's e-mail address), no version check from the browser (updates come with deploys).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
