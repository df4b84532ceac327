"""Concrete tactics for each relationship strategy (METHOD.md §3.3), shown with the
suggestion on the decision map. Drawn from the TAS+/ESP+ articles in seeds/."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wuwei.methodology.enums import RelationshipStrategy

TACTICS: dict[RelationshipStrategy, tuple[Promise, ...]] = {
    RelationshipStrategy.ENCOURAGE: (
        _("Make them the inside source (coach): share the plan and ask for guidance"),
        _("Give them material to advocate our solution internally"),
        _("Invite them to a reference visit or an executive meeting"),
    ),
    RelationshipStrategy.HARMONIZE: (
        _("Keep regular contact and follow up every commitment"),
        _("Address their personal and departmental goals in the proposal"),
        _("Ask them to introduce us to the decision maker"),
    ),
    RelationshipStrategy.ATTACK: (
        _("Find out what they care about in a one-to-one meeting"),
        _("Run a workshop or demo on their pain points"),
        _("Use a connection (人脉) who knows them to build trust"),
    ),
    RelationshipStrategy.DEFEND: (
        _("Understand the objection and answer it with evidence"),
        _("Keep them informed so they are not surprised in the evaluation"),
        _("Strengthen our position with those who influence them"),
    ),
    RelationshipStrategy.SUPPRESS: (
        _("Reduce their weight: win over the people above and around them"),
        _("Make the evaluation criteria objective and documented"),
        _("Escalate the relationship to a higher level of the customer"),
    ),
}


def tactics_for(strategy: str) -> list[str]:
    return [str(t) for t in TACTICS.get(RelationshipStrategy(strategy), ())] if strategy else []
