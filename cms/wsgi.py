"""The WSGI entry point (gunicorn, and runserver through WSGI_APPLICATION).

Anonymous page views are answered by the page cache before Django's middleware runs; see
page_cache/wsgi.py."""

import os

from django.core.wsgi import get_wsgi_application

from page_cache.wsgi import PageCache

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

application = PageCache(get_wsgi_application())
