"""Access in one place: *which agencies may this user see* and *may this user do this action on this
object*. Views, exports, reports and the CLI all ask here; nothing else decides.

Scoping follows the oversight tree: the secretariat sees its province; an office officer or reviewer
sees the agencies the office's oversight rules assign to it; an agency admin or executive sees only
its own agency. Superusers see everything.

* ``scope.py``: the user's ``Scope``, one query per request.
* ``predicates.py``: the questions rules ask (secretariat of a province, member of an office with roles,
  an office that follows an agency, an agency role).
* ``actions.py``: the register; each app declares its actions in its own ``rules.py`` with ``@rule``.
* ``scoped.py``: scoped reads (``agencies_for``, ``provinces_for``…). The lookups views share for a round
  (``round_or_404``, ``participant_or_404``) are in ``itadesk.cycles.rounds``: rounds sit above access.
"""

from itadesk.accounts.access import predicates
from itadesk.accounts.access.actions import UnknownAction, can, registered_actions, require, rule
from itadesk.accounts.access.scope import Scope, scope_for
from itadesk.accounts.access.scoped import (
    agencies_for,
    can_see_agency,
    followed_agencies,
    offices_for,
    province_ids_for,
    province_to_work_on,
    provinces_for,
)

__all__ = [
    "Scope", "UnknownAction", "agencies_for", "can", "can_see_agency", "followed_agencies", "offices_for",
    "predicates", "province_ids_for", "province_to_work_on", "provinces_for",
    "registered_actions", "require", "rule", "scope_for",
]
