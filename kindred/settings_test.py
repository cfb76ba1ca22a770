"""Test overrides: fast hashing, tasks run at once, an isolated database file."""

import os

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# Parallel test workers (pytest-xdist) each get their own Redis database, so one worker's
# cache.clear() never wipes another's rate-limit counters or channel messages.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
if REDIS_URL:  # noqa: F405
    _redis_db_url = REDIS_URL.rstrip("/").rsplit("/", 1)[0] if REDIS_URL.count("/") > 2 else REDIS_URL  # noqa: F405
    _redis_db_url = f"{_redis_db_url.rstrip('/')}/{1 + int(_worker.removeprefix('gw') or 0)}"
    CACHES["default"]["LOCATION"] = _redis_db_url  # noqa: F405
    CHANNEL_LAYERS["default"]["CONFIG"]["hosts"] = [_redis_db_url]  # noqa: F405
    # Redis pub/sub channels are server-wide (not per database): a prefix per test process keeps runs apart.
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"kindred-test-{os.getpid()}"  # noqa: F405

# A test database per pytest run, so several runs on one PostgreSQL server never collide.
# (Under xdist, workers share their parent's id and pytest-django adds the _gwN suffix.)
if DATABASE_URL:  # noqa: F405
    _run_id = os.getppid() if "PYTEST_XDIST_WORKER" in os.environ else os.getpid()
    DATABASES["default"]["TEST"] = {"NAME": f"test_kindred_{_run_id}"}  # noqa: F405
