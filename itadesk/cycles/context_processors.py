from functools import cache

from itadesk.cycles.rounds import switcher


def round_switcher(request):
    """``round_switcher``: the round switcher of a round page (``cycles.rounds.switcher``), computed only
    when a template reads it, once per request."""
    return {"round_switcher": cache(lambda: switcher(request))}
