"""Reuse the portal's Playwright fixtures (system Chromium) for the communication pages."""

from tests.browser.conftest import browser, page, reference_data  # noqa: F401
