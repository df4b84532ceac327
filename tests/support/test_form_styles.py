"""The presales request and assignment pages use the app's styled (Bootstrap) controls
(issue 16 item 10)."""

from tests.support.conftest import make_deal, make_request


def test_presales_pages_use_styled_controls(org, mci, web):
    deal = make_deal(org.rep, "5000000")
    request = make_request(deal)
    html = web(org.rep).get(f"/support/deals/{deal.pk}/").content.decode()
    owner_form = html[html.index('id="stage-owner-form"') :]
    owner_form = owner_form[: owner_form.index("</form>")]
    assert owner_form.count('class="form-select form-select-sm"') == 2
    assert 'class="form-control form-control-sm"' in owner_form
    assert 'class="form-label' in owner_form
    request_form = html[html.index('id="request-form"') :]
    request_form = request_form[: request_form.index("</form>")]
    assert request_form.count('class="form-control form-control-sm"') == 5
    lead = web(mci.lead).get(f"/support/requests/{request.pk}/").content.decode()
    assert 'id="decision-form"' not in lead  # no approval pending: no decision controls
    for tag in ("<input", "<select", "<textarea"):
        for piece in lead.split(tag)[1:]:
            control = piece[: piece.index(">")]
            if 'type="hidden"' in control or 'type="search"' in control:
                continue
            assert (
                "form-control" in control
                or "form-select" in control
                or ("form-check-input" in control)
            ), control
