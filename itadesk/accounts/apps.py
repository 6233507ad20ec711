from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "itadesk.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from itadesk.accounts import access
        from itadesk.core import history

        # Each app declares who may do what in its own rules.py (see docs/architecture.md, "Access").
        autodiscover_modules("rules")

        def visible_agency_ids(user, ids):
            return set(access.agencies_for(user).filter(pk__in=[i for i in ids if str(i).isdigit()])
                       .values_list("pk", flat=True))

        history.visible_agency_ids = visible_agency_ids
