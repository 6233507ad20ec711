from django import template

from itadesk.accounts import access
from itadesk.notifications.models import LineLink

register = template.Library()


@register.inclusion_tag("notifications/_office_line_button.html", takes_context=True)
def office_line_button(context, office):
    """On the office page: the link to the office's LINE group page, for those who may link it."""
    user = context["request"].user
    allowed = access.can(user, "link_office_line", office)
    return {"office": office, "allowed": allowed,
            "linked": allowed and LineLink.objects.filter(office=office).exists()}
