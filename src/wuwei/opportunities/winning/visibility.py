"""Who sees the winning-engine records: whoever sees the deal (grants included, so presales
assigned to a deal see its compelling events). Questionnaires score us against named
competitors, which is competitor intelligence: partners do not see them, as they do not see
the competitors on the deal (opportunities.visibility). The weekly curve is only numbers."""

from django.db.models import Q

from wuwei.core.visibility import Scope, internal, register, through
from wuwei.opportunities.models import (
    CompellingEvent,
    Opportunity,
    Questionnaire,
    QuestionnaireAnswer,
    WinRateSnapshot,
)


def _through_deal(scope: Scope, field: str = "opportunity") -> Q | None:
    return through(Opportunity, scope, field)


def deal_record_rule(scope: Scope) -> Q | None:
    return _through_deal(scope)


def questionnaire_answer_rule(scope: Scope) -> Q | None:
    return _through_deal(scope, "questionnaire__opportunity")


def register_rules() -> None:
    """Called from the winning engine's `wiring.register()`."""
    # Internal work (METHOD.md §1): partner users see none of these rows.
    internal(CompellingEvent, WinRateSnapshot, Questionnaire, QuestionnaireAnswer)
    register(CompellingEvent)(deal_record_rule)
    register(Questionnaire)(deal_record_rule)
    register(WinRateSnapshot)(deal_record_rule)
    register(QuestionnaireAnswer)(questionnaire_answer_rule)
