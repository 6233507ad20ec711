from django.utils.functional import SimpleLazyObject

from itadesk.accounts.access import scope_for


def roles(request):
    """``scope``: the user's scope (``access.scope_for``), computed only when a template reads it (base.html's
    menus are kept rendered: a page that shows nothing else of the roles does not need it)."""
    return {"scope": SimpleLazyObject(lambda: scope_for(request.user))}
