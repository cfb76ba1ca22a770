"""Settings for benchmarks: Kindred's own settings, served as in production but over plain HTTP on loopback.

Environment is fixed here, before Kindred's settings read it, so a benchmark never inherits a developer's
DATABASE_URL, debug mode or secret. `bench/http_pages.py` points KINDRED_DATA_DIR at a temporary folder.
"""

import os

os.environ["KINDRED_DEBUG"] = "0"  # DEBUG off: no SQL logging, no debug toolbar costs, production templates
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "b" * 40)
os.environ["SECURE_SSL_REDIRECT"] = "0"  # plain HTTP on 127.0.0.1
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("KINDRED_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from kindred.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# No collectstatic step: plain static storage, so {% static %} needs no manifest. Pages are measured, not assets.
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
