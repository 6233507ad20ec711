from django.conf import settings
from django.utils import translation
from django.utils.translation import check_for_language


class ThaiFirstLocaleMiddleware:
    """Thai unless the user chose another language (the set_language cookie). Unlike Django's
    LocaleMiddleware, the browser's Accept-Language is not consulted: an office PC set up in English
    still gets the Thai UI, as Thai civil servants expect."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen and check_for_language(chosen) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers["Vary"] = ", ".join(filter(None, [response.headers.get("Vary"), "Cookie"]))
        return response
