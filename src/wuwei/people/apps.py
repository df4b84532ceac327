from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "wuwei.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from wuwei.people import handover, timeline, visibility

        visibility.register_rules()
        handover.register()
        # The accounts area (a lower app) reads and creates contacts through this source.
        from wuwei.accounts.contacts import ContactSource, register_contact_source
        from wuwei.people import selectors, services

        register_contact_source(
            ContactSource(
                for_account=lambda user, account: selectors.contact_list(
                    user=user, filters=selectors.ContactFilters(account=account.pk)
                ),
                mapped_closeness=selectors.mapped_closeness,
                create=services.contact_create,
            )
        )
        timeline.register()
