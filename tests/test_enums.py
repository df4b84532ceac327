"""One source per enumeration (issue 12 item 4).

The Django choices of the method's enumerations take their values from `wuwei.methodology`;
where a copy has to stay (a TextChoices class for labels and typed members, an OpenAPI
`Literal`), this walks every pair and proves the copy is the same set, in the same order.
"""

from enum import Enum
from typing import get_args

import pytest
from django.db import models

from wuwei.accounts import models as accounts
from wuwei.competitors import models as competitors
from wuwei.methodology import buying, enums, risks
from wuwei.opportunities import models as opportunities
from wuwei.people import models as people
from wuwei.playbook import api as playbook_api
from wuwei.playbook import models as playbook
from wuwei.support import models as support

PAIRS: list[tuple[type[models.Choices], type[Enum]]] = [
    (accounts.AccountStatus, enums.AccountStatus),
    (accounts.HeadquartersScope, enums.Scope),
    (accounts.KaProfile, enums.KaProfile),
    (accounts.Grade, enums.AccountGradeLetter),
    (accounts.Grade, enums.AccountClass),  # the nine-box class uses the grade letters
    (accounts.Strategy, enums.AccountStrategy),
    (accounts.SupportTier, enums.Queue),
    (accounts.Level, enums.Level),
    (opportunities.Stage, enums.Stage),
    (opportunities.Grade, enums.OpportunityGrade),
    (opportunities.Track, enums.Track),
    (competitors.RelationshipStatus, enums.RelationshipStatus),
    (opportunities.CompetitiveStrategy, enums.CompetitiveStrategy),
    (people.BehaviorOrientation, enums.BehaviourOrientation),
    (people.RelationshipStatus, enums.RelationshipStatus),
    (people.InteractionLevel, enums.InteractionLevel),
    (people.DecisionRole, enums.DecisionRole),
    (people.RelationshipStrategy, enums.RelationshipStrategy),
    (playbook.CompanySize, buying.CompanySize),
    (playbook.BuyingRoleKind, buying.BuyingRoleKind),
    (playbook.BuyingFunction, buying.BuyingFunction),
    (playbook.RuleKind, risks.Kind),
    (playbook.RiskSeverity, risks.Severity),
    (support.Queue, enums.Queue),
]

# Same words, different meaning: a questionnaire answer's confidence is not a risk's severity.
NOT_COPIES = {(opportunities.Confidence, risks.Severity)}


@pytest.mark.parametrize(
    ("choices", "enum"), PAIRS, ids=[f"{c.__module__}.{c.__name__}" for c, _ in PAIRS]
)
def test_choices_are_the_methodology_enum(choices: type[models.Choices], enum: type[Enum]) -> None:
    assert [(m.name, m.value) for m in choices] == [(m.name, m.value) for m in enum]
    # plain strings in the database and in migrations, whatever the source member is
    assert all(type(value) is str for value in choices.values)
    # every member is labelled (no label fell back to the member name)
    assert all(str(label) for label in choices.labels)


def test_every_methodology_enum_with_a_django_twin_is_listed() -> None:
    """A new TextChoices copying a methodology enum must join PAIRS (and take its values)."""
    method_enums = [
        e
        for module in (enums, buying, risks)
        for e in vars(module).values()
        if isinstance(e, type) and issubclass(e, Enum) and e.__module__ == module.__name__
    ]
    listed = {(c, e) for c, e in PAIRS} | NOT_COPIES
    for module in (accounts, competitors, opportunities, people, playbook, support):
        for choices in vars(module).values():
            if not (isinstance(choices, type) and issubclass(choices, models.Choices)):
                continue
            for enum in method_enums:
                if [(m.name, m.value) for m in choices] == [(m.name, m.value) for m in enum]:
                    assert (choices, enum) in listed, f"{choices} copies {enum}: add it to PAIRS"


def test_openapi_literals_are_the_enums() -> None:
    """The project-rules API documents its slugs as Literals; they are the enums' values."""
    stages = [s.value for s in enums.Stage]
    open_stages = [s.value for s in enums.Stage if s.is_open]
    assert list(get_args(playbook_api.StageSlug)) == open_stages
    assert list(get_args(playbook_api.EnterSlug)) == [
        s for s in stages if s not in (enums.Stage.VALIDATE, enums.Stage.LOST)
    ]
    assert list(get_args(playbook_api.GradeSlug)) == [g.value for g in enums.OpportunityGrade]
    assert set(get_args(playbook_api.Severity)) == {s.value for s in risks.Severity}
    assert list(get_args(playbook_api.KindSlug)) == [k.value for k in risks.Kind]


def test_twin_choices_of_one_enum_agree() -> None:
    """Two apps show the same enumeration: same values and the same labels."""
    assert competitors.RelationshipStatus.choices == people.RelationshipStatus.choices
    assert support.Queue.values == accounts.SupportTier.values
