"""Production settings for the benchmarks, so figures reflect what is deployed: same
middleware, page cache and database connection handling. Only the URLs (a bare "ok" view
added) and static files (served from the apps, no collectstatic needed) differ. The bench
sets the environment variables production requires."""

from cms.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # nothing collected: WhiteNoise reads the apps' folders (finders)
# A scratch database the bench drops at the end: the demo pages and accounts are its data.
DEMO_DATA_ALLOWED = True
