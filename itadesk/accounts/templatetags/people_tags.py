"""``{% reminder_reach round office %}``: on a round's dashboards, how many participating agencies (of the
office, when given) no reminder can reach, with a link to the contacts page."""

from django import template
from django.urls import reverse

from itadesk.accounts import access, selectors

register = template.Library()


@register.inclusion_tag("accounts/people/_reach.html", takes_context=True)
def reminder_reach(context, round, office=None):
    request = context.get("request")
    user = getattr(request, "user", None)
    target = office or round.province
    if user is None or not access.can(user, "view_contacts", target):
        return {"show": False}
    count = selectors.unreachable(selectors.round_agencies(round, office)).count()
    if office is not None:
        url = reverse("accounts:office_contacts", args=[office.pk]) + f"?round={round.pk}"
    else:
        url = reverse("accounts:province_contacts") + f"?province={round.province_id}&round={round.pk}"
    people = (reverse("accounts:people") + f"?province={round.province_id}"
              if access.can(user, "manage_people", round.province) else "")
    return {"show": True, "count": count, "url": url, "people": people}
