from django import template

register = template.Library()

# Score bands for the heat map: the pass mark (85) and the bands below it.
_BANDS = ((95, "heat-0"), (85, "heat-1"), (75, "heat-2"), (65, "heat-3"))


@register.filter
def heat_class(value) -> str:
    """CSS class of a score cell: ``heat-0`` (≥ 95) … ``heat-4`` (< 65); empty for no score."""
    if value is None or value == "":
        return ""
    score = float(value)
    for floor, css in _BANDS:
        if score >= floor:
            return css
    return "heat-4"
