import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ess_metro.uploads import validate_upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_pdf_and_png_are_accepted():
    assert validate_upload(SimpleUploadedFile("statuts.pdf", PDF)) == "application/pdf"
    assert validate_upload(SimpleUploadedFile("photo.png", PNG)) == "image/png"


def test_type_comes_from_content_not_name():
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("statuts.pdf", b"MZ\x90\x00 not a pdf at all"))
    assert error.value.code == "bad_type"
    assert "n'est pas accepté" in error.value.messages[0]


def test_too_large_file_is_refused(settings):
    settings.MAX_UPLOAD_SIZE = 100
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("gros.pdf", PDF + b"0" * 200))
    assert error.value.code == "too_large"
    assert "trop volumineux" in error.value.messages[0]
