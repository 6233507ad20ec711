"""``{% once_field %}``: the hidden one-time token of a create form (``itadesk/core/once.py``). A form shown
again after an error keeps the token it was posted with."""

from django import template
from django.utils.html import format_html

from itadesk.core import once

register = template.Library()


@register.simple_tag(takes_context=True)
def once_field(context):
    request = context.get("request")
    token = (once.token_of(request) if request is not None else "") or once.new_token()
    return format_html('<input type="hidden" name="{}" value="{}">', once.FIELD, token)
