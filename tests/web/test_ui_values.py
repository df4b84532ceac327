"""Choice values read by their labels in histories, timelines and the audit trail, and date
inputs carry ISO values in every language (issue 16, item 2; the page crawl is
test_ui_language.py)."""

from datetime import date

from django import forms
from django.utils import translation

from tests.factories import make_account
from tests.web.test_ui_language import _Page
from wuwei.accounts.services.archive import account_update
from wuwei.core.audit import change_text


def test_history_and_timeline_show_choices_by_their_labels(org, web):
    account = make_account(org.rep, status="prospect")
    account_update(
        user=org.rep,
        account=account,
        expected_version=account.version,
        changes={"status": "drifting"},
    )
    client = web(org.rep)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    page = _Page()
    page.feed(client.get(f"/accounts/{account.pk}/tab/timeline/").content.decode())
    assert "潜在客户 → 渐行渐远" in " ".join(page.texts)
    assert "变更" in page.texts  # the entry's badge, not its source's slug "change"
    assert "change" not in page.texts and "prospect" not in " ".join(page.texts)


def test_the_audit_trail_shows_roles_by_their_labels(db):
    changes = {"roles": [[], ["delivery_lead", "presales"]]}
    assert change_text(changes) == "roles: — → delivery_lead, presales"  # the CSV keeps slugs
    with translation.override("zh-hans"):
        assert change_text(changes, "org.user") == "角色: — → 交付负责人, 售前"


def test_date_inputs_render_iso_in_chinese():

    field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    for language in ("zh-hans", "en"):
        with translation.override(language):
            html = field.widget.render("d", date(2026, 12, 4))
            assert 'value="2026-12-04"' in html, (language, html)
            assert field.clean("2026-12-04") == date(2026, 12, 4)
    with translation.override("zh-hans"):
        assert field.clean("2026/12/04") == date(2026, 12, 4)  # the local form still parses
