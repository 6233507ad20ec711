"""Layout helpers (built into every template, settings.TEMPLATES):

* for templates that may carry no ``style`` attribute (the Content-Security-Policy forbids inline styles):
  ``{{ value|bar }}`` names the class that gives a progress bar that width;
* ``{% navigation as nav %}``: base.html's menus of the signed-in person, rendered once and kept under the data
  versions;
* ``{% asset "path" %}`` and ``{% fixed_url "name" %}``: ``{% static %}`` and ``{% url %}`` (without arguments)
  computed once per process, for base.html's links that every page repeats (the same answer as long as the
  settings they come from are the same: they are part of the key);
* ``{% layout_part "template" %}``: a part of base.html that depends on nothing of the request (its style sheets,
  its footer and scripts), rendered once per process, language and the settings it is made from."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from itadesk.core import versions

register = template.Library()


@register.filter
def bar(percent) -> str:
    """``w-pct-N``: the CSS class (itadesk.css) for a bar ``percent`` wide, rounded to a whole number and
    kept within 0–100; anything that is not a number is an empty bar."""
    try:
        value = float(percent)
    except (TypeError, ValueError):
        return "w-pct-0"
    if value != value:  # NaN
        return "w-pct-0"
    return f"w-pct-{round(min(100.0, max(0.0, value)))}"


@register.simple_tag(takes_context=True)
def navigation(context) -> dict | None:
    """The signed-in person's menus of base.html, ``{"menu": <the main menu>, "me": <the person's own menu>}``
    (HTML; None for a visitor not signed in). They show what the person's roles open (the ``scope`` of
    accounts.context_processors.roles) and the person's name: all data under "global", so they are rendered
    once per person, language and script prefix and kept under the data versions (``versions.kept``) — a role
    removed, a name changed is seen by the next request. What belongs to the request (the CSRF token of the
    forms, the current path for the language switch, the messages) stays in base.html."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return None

    def render() -> dict:
        menus = {"user": user, "scope": context.get("scope")}
        return {"menu": mark_safe(render_to_string("core/partials/nav_menu.html", menus).strip()),
                "me": mark_safe(render_to_string("core/partials/nav_me.html", menus).strip())}
    return versions.kept("layout-nav", [user.pk, translation.get_language(), get_script_prefix()], [], render)


@register.simple_tag
def asset(path: str) -> str:
    """``{% static path %}``, once per process (and static settings)."""
    return _asset(path, settings.STATIC_URL, repr(settings.STORAGES.get("staticfiles")))


@lru_cache(maxsize=256)
def _asset(path: str, static_url: str, storage: str) -> str:
    return static(path)


@register.simple_tag
def fixed_url(name: str) -> str:
    """``{% url name %}`` of a URL without arguments, once per process, script prefix and URL configuration."""
    return _fixed_url(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@lru_cache(maxsize=256)
def _fixed_url(name: str, prefix: str, urlconf) -> str:
    return reverse(name, urlconf=urlconf)


@register.simple_tag(takes_context=True)
def layout_part(context, name: str) -> str:
    """The template ``name`` rendered without the request (``{% asset %}``, ``{% fixed_url %}``, ``{% translate %}``,
    ``{% htmx_script %}``: what it shows depends only on the language, the script prefix, the URL configuration
    and the static and debug settings, which are the key), once per process. A page given a CSP nonce, and every
    page with ``DEBUG`` on (templates edited while the server runs), render it afresh."""
    if settings.DEBUG or context.get("csp_nonce") is not None:
        return render_to_string(name, {"csp_nonce": context.get("csp_nonce")})
    return _layout_part(name, translation.get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF,
                        settings.STATIC_URL, repr(settings.STORAGES.get("staticfiles")))


@lru_cache(maxsize=64)
def _layout_part(name: str, language, prefix: str, urlconf, static_url: str, storage: str) -> str:
    return mark_safe(render_to_string(name))
