"""Settings for the test suite: the demo allowances and a fast password hasher."""

import os

os.environ.setdefault("KAVERI_DEMO", "1")

from kaveri.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Django's test client logs in without a request, which django-axes needs;
# tests/test_security.py switches axes back on where lockout is under test.
AXES_ENABLED = False
