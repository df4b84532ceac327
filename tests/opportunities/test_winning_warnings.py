"""§4.3: "the system warns before more presales resources are committed" when the deal has
no confirmed compelling event — the precise check replaces MCI's "not rated" approximation."""

from decimal import Decimal

import pytest

from tests.opportunities.winning import add_event, make_deal
from tests.support.conftest import make_request, mci  # noqa: F401  (the MCI fixture)
from wuwei.core.errors import Conflict
from wuwei.opportunities.winning import services
from wuwei.support.compelling_event_warning import no_confirmed_compelling_event
from wuwei.support.warnings import request_warning_checks


def test_the_precise_check_is_the_registered_one(db):
    assert request_warning_checks["no_compelling_event"] is no_confirmed_compelling_event


def test_presales_request_warns_for_a_deal_with_only_an_unconfirmed_event(org, mci):  # noqa: F811
    deal, _rivals = make_deal(org.rep, amount=5_000_000)
    event = add_event(deal, org.rep, confirmed=False)
    with pytest.raises(Conflict) as asked:
        make_request(deal, confirm_warnings=False, effort_days=Decimal(1))
    assert [field for field, _m in asked.value.errors] == ["confirm_warnings"]
    request = make_request(deal, effort_days=Decimal(1))
    assert [w["code"] for w in request.warnings] == ["no_compelling_event"]
    # confirmed: no warning, although no questionnaire rates the deal yet (win rate null)
    services.compelling_event_confirm(
        user=org.rep, event=event, confirmed=True, expected_version=event.version
    )
    deal.refresh_from_db()
    assert deal.win_rate is None
    assert make_request(deal, confirm_warnings=False, effort_days=Decimal(1)).warnings == []
