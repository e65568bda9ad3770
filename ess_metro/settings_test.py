"""Settings for the test suite: the production settings with fast hashing and strict templates."""

import os
import tempfile

os.environ.setdefault("ALLOW_INSECURE_SECRET_KEY", "1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ["TESTING"] = "1"

from .settings import *  # noqa: F403
from .settings import STORAGES, TEMPLATES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
_tmp = Path(tempfile.mkdtemp(prefix="ess-metro-tests-"))  # noqa: F405
MEDIA_ROOT = _tmp / "media"
PRIVATE_MEDIA_ROOT = _tmp / "private"
STATIC_ROOT = _tmp / "static"
STATIC_ROOT.mkdir()
# With S3_* set (CI's S3 pass), files go to the real S3 buckets; else to a temporary folder.
if not S3_PRIVATE_BUCKET:  # noqa: F405
    STORAGES["private"]["OPTIONS"]["location"] = PRIVATE_MEDIA_ROOT
    STORAGES["default"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    }


class InvalidTemplateVariable(str):
    """Makes an unknown template variable fail the test that renders it."""

    def __mod__(self, other):
        raise NameError(f"Unknown template variable: {other!r}")


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")
