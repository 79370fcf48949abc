"""The WSGI entry point (gunicorn, and runserver through WSGI_APPLICATION).

Anonymous page views are answered by the page cache before Django's middleware runs; see
cms/page_cache.py."""

import os

from django.core.wsgi import get_wsgi_application

from cms.page_cache import PageCache

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

application = PageCache(get_wsgi_application())
