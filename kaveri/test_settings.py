"""Settings for the test suite: the demo allowances and a fast password hasher."""

import os

os.environ.setdefault("KAVERI_DEMO", "1")

from kaveri.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Django's test client logs in without a request, which django-axes needs;
# tests/test_security.py switches axes back on where lockout is under test.
AXES_ENABLED = False

# Tests run on a SQLite file, not the shared in-memory database, so that two connections
# behave as two users of a real deployment: writers queue for the lock instead of failing.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-kaveri.sqlite3")}  # noqa: F405

# Requests do not seal the audit log in tests (tests seal explicitly, or set this to 0).
KAVERI_AUDIT_SEAL_SECONDS = 10**9
