import io
import re
import unicodedata

import pytest
from pypdf import PdfReader

from demo.factories.programme import ProgrammeFactory
from programme.models import ProgrammeStatus


def pdf_text(content: bytes) -> list[str]:
    """The text of each page, spaces normalised (French amounts use non-breaking spaces)."""
    pages = []
    for page in PdfReader(io.BytesIO(content)).pages:
        text = unicodedata.normalize("NFKC", page.extract_text())
        pages.append(re.sub(r"\s+", " ", text.replace("\u202f", " ")))
    return pages


def plain(text: str) -> str:
    return re.sub(r"[ \u202f\u00a0]+", " ", text)


@pytest.fixture
def draft(db):
    return ProgrammeFactory(year=2026)


@pytest.fixture
def published(db):
    return ProgrammeFactory(year=2025, published=True)


@pytest.fixture
def submitted(db):
    return ProgrammeFactory(year=2027, status=ProgrammeStatus.SUBMITTED)
