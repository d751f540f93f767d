"""Settings for the test suite: the demo allowances and a fast password hasher."""

import os

os.environ.setdefault("KAVERI_DEMO", "1")

from kaveri.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
