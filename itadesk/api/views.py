"""The pages of the API app: personal tokens (made, listed, revoked) and the API's documentation, rendered on
the server from the OpenAPI schema (Thai first; no script, no CDN)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from itadesk.accounts import access
from itadesk.api import errors, services
from itadesk.api.api import api
from itadesk.api.forms import TokenForm
from itadesk.api.models import ApiToken
from itadesk.core.forms import add_service_errors
from itadesk.core.views import run_service


@login_required
def tokens(request):
    """The person's API tokens. A new token's secret is shown once, on the page that answers its creation
    (never stored, never shown again)."""
    access.require(request.user, "use_api")
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = services.create_token(actor=request.user, name=form.cleaned_data["name"],
                                                   expires_at=form.expires_at())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            form = TokenForm()
    rows = ApiToken.objects.filter(user=request.user).order_by("-created_at", "-id")
    response = render(request, "api/tokens.html", {"form": form, "tokens": rows, "secret": secret,
                                                    "docs_url": reverse("api:docs")},
                      status=400 if form.errors else 200)
    if secret:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def revoke(request, token_id):
    access.require(request.user, "use_api")
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)  # someone else's token: 404
    return run_service(request, lambda: services.revoke_token(actor=request.user, token=token),
                       success=_("Token “%(name)s” revoked: programs using it can no longer call the API.")
                       % {"name": token.name}, redirect_to=reverse("api:tokens"))


def root(request):
    """``/api/v1/`` itself: a browser goes to the documentation; a program gets where the schema and the
    documentation are, in JSON (as the API's other answers)."""
    docs_url = request.build_absolute_uri(reverse("api:docs"))
    if "text/html" in request.headers.get("Accept", ""):
        return redirect(docs_url)
    return JsonResponse({"version": "v1", "docs": docs_url,
                         "openapi": request.build_absolute_uri(reverse("api:v1:openapi-json"))})


def not_found(request, rest=""):
    return JsonResponse(errors.body(404, *errors.MESSAGES[404]), status=404,
                        json_dumps_params={"ensure_ascii": False})


def docs(request):
    """The API's reference, from the same schema as /api/v1/openapi.json. Public: it describes, holds no data."""
    schema = api.get_openapi_schema(path_prefix=reverse("api:v1:api-root"))
    operations = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            params = [{"name": p["name"], "where": p["in"], "required": p.get("required", False),
                       "description": p.get("description") or p.get("schema", {}).get("description", ""),
                       "type": _type(p.get("schema", {}))} for p in op.get("parameters", [])]
            body = (op.get("requestBody") or {}).get("content", {}).get("application/json", {}).get("schema")
            ok = op.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {}).get("schema")
            operations.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                               "id": op.get("operationId", ""), "tag": (op.get("tags") or [""])[0],
                               "params": params, "body": _ref(body), "response": _ref(ok),
                               "statuses": sorted(op.get("responses", {}))})
    components = schema.get("components", {}).get("schemas", {})
    shapes = [{"name": name, "fields": [{"name": f, "type": _type(s), "required": f in c.get("required", []),
                                         "description": s.get("description", "")}
                                        for f, s in c.get("properties", {}).items()]}
              for name, c in sorted(components.items())]
    return render(request, "api/docs.html", {"operations": operations, "shapes": shapes,
                                             "schema_url": reverse("api:v1:openapi-json"),
                                             "base": request.build_absolute_uri(reverse("api:v1:api-root"))})


def _ref(schema) -> str:
    if not schema:
        return ""
    return _type(schema)


def _type(s: dict) -> str:
    if "$ref" in s:
        return s["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in s:
        return " | ".join(_type(x) for x in s["anyOf"])
    if s.get("type") == "array":
        return f"[{_type(s.get('items', {}))}]"
    if "enum" in s:
        return " | ".join(repr(v) for v in s["enum"])
    if s.get("type") == "object" and "additionalProperties" in s:
        return f"{{str: {_type(s['additionalProperties'])}}}"
    return s.get("format") or s.get("type") or "any"
