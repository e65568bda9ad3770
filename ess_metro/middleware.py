from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Adds a strict Content-Security-Policy to every page, the Django admin's included (its
    scripts and styles are files served by the portal: no inline code since Django 4.2)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class ServerHeaderMiddleware:
    """The ``Server`` header names the portal, not the Python version that serves it (the
    development server and ``wsgiref`` say ``WSGIServer/0.2 CPython/3.11.x``). Gunicorn writes
    its own header (``gunicorn``, no version), so the portal adds none behind it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.META.get("SERVER_SOFTWARE", "").startswith("gunicorn"):
            response.headers["Server"] = settings.SERVER_HEADER
        return response


class FrenchFirstLocaleMiddleware:
    """French unless the visitor chose another language (cookie set by the language switcher).

    The browser's Accept-Language header is deliberately ignored: the portal of a French public
    body speaks French first, whatever the visitor's browser settings.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary = response.headers.get("Vary", "")
        if "Cookie" not in patch_vary:
            response.headers["Vary"] = f"{patch_vary}, Cookie" if patch_vary else "Cookie"
        return response
