"""The method's vocabulary (METHOD.md): one entry per term for the help page and the "?"
links next to the terms in pages. The slug is the page anchor; `summary` is the hover text."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Term:
    slug: str
    name: Promise
    summary: Promise
    paragraphs: tuple[Promise, ...]


TERMS: tuple[Term, ...] = (
    Term(
        "five-dimensions",
        _("Five dimensions: way, craft, root, momentum, law"),
        _(
            "The five views of a sale: accounts (way), deals (craft), connections (root), "
            "sales support (momentum) and project rules (law)."
        ),
        (
            _(
                "Wuwei means “five dimensions”. Way (道) is long-term key-account "
                "management: grading, the nine-box, account strategies and plans. Craft (术) "
                "is winning the deal in front of you: stages, compelling event, questionnaire, "
                "win rate and tactics. Root (本) is the people: the relationship map and our "
                "employees' connections with the customer."
            ),
            _(
                "Momentum (势) is the support behind the sales person: presales people, their "
                "load and cost, and credit for everyone who helped. Law (律) is the project "
                "rules that catch the mistakes that lose deals at the last step."
            ),
        ),
    ),
    Term(
        "account-grade",
        _("Account grade A–D"),
        _(
            "An account's composite score from four dimensions, each scored 0–100: "
            "revenue contribution, potential, demonstration value, can win and can deliver."
        ),
        (
            _(
                "Each dimension is scored from 0 (none at all) to 100 (the best we know). The "
                "weighted sum gives the grade: by default A from 80, B from 60, C from 40, "
                "otherwise D. Thresholds can differ by industry so that industries are compared "
                "fairly. The grade decides how much presales budget and how many visits the "
                "account gets."
            ),
        ),
    ),
    Term(
        "ninebox",
        _("Nine-box"),
        _(
            "Accounts placed by potential (rows) and contribution (columns), high, medium "
            "or low each; the cell gives the class A, B, C or D."
        ),
        (
            _(
                "Potential and contribution come from the grading scores: 67 and above is "
                "high, 34 and above is medium, below that low. High contribution means class A "
                "or B: keep them (retain). High or medium potential with low contribution is "
                "class C: this is where investment goes (grow). Low potential with medium or "
                "low contribution is class D: minimal effort, visits only."
            ),
        ),
    ),
    Term(
        "compelling-event",
        _("Compelling event"),
        _(
            "Why the customer must do this project, and by when. Without a confirmed "
            "compelling event a deal has no win rate."
        ),
        (
            _(
                "Examples: the budget was approved last year; the decision maker set a go-live "
                "date; a regulation takes effect. Record the description, the evidence, the "
                "date and how confident you are, and re-evaluate it as the deal moves. Until "
                "one is confirmed the deal is “not rated” and the system warns before "
                "more presales resources are committed."
            ),
        ),
    ),
    Term(
        "deal-grade",
        _("Deal grade and track: AB, CD, E"),
        _(
            "A deal's grade comes from its amount; AB deals follow the big-project line, CD "
            "deals the fast track, E deals are led by a partner."
        ),
        (
            _(
                "By default A is 5,000,000 CNY and above, B 1,000,000, C 200,000, and D below "
                "that; a manager can raise or lower the grade with a reason. AB (big-project "
                "line): all seven stages, every element of the method required, presales led "
                "by the delivery centre. CD (fast track): may jump from the first stage to "
                "signing; questionnaire, relationship map, strategy and value proposition are "
                "optional. E: a channel partner registers and owns the pursuit; the "
                "registration is protected for 90 days and overlaps are flagged as conflicts."
            ),
        ),
    ),
    Term(
        "questionnaire",
        _("Know yourself and know the enemy: the questionnaire"),
        _(
            "A weekly questionnaire: do we have an inside source, and how well do we and each "
            "competitor fit the needs and stand with the customer (0–10 each)."
        ),
        (
            _(
                "Need fit: how far the resources satisfy the customer's needs, from 0 (not at "
                "all) to 10 (completely). Closeness: how close the relationship with the "
                "customer is, from 0 (no relationship) to 10 (the closest). Score us and at "
                "least the two most threatening competitors in the same way."
            ),
            _(
                "An inside source (coach) is a person at the customer who tells us what is "
                "really going on. The rep fills in the questionnaire and the manager reviews "
                "and may adjust it; both versions are kept. Each questionnaire recomputes the "
                "win rate."
            ),
        ),
    ),
    Term(
        "win-rate",
        _("Win rate"),
        _(
            "Our chance against the competitors: our strength compared with the two strongest "
            "competitors, from the latest questionnaire."
        ),
        (
            _(
                "Strength is need fit plus closeness. If we are not among the three strongest "
                "parties the win rate is 0. Otherwise it is our strength divided by the sum of "
                "ours and the two strongest competitors'. Without an inside source it is cut by "
                "30% because such estimates are too optimistic. Without a confirmed compelling "
                "event the deal is not rated."
            ),
            _(
                "The win rate does not rise with the stage. It is recorded every week; the "
                "history is the win-rate curve, and a change of 10 points or more in a week "
                "notifies the owner and the manager."
            ),
        ),
    ),
    Term(
        "gosart",
        _("Account plan (GOSART)"),
        _("The yearly account plan: Goal, Objectives, Strategy, Actions, Resources, Test."),
        (
            _(
                "Goal: where we want to be with this account in the long run. Objectives: the "
                "short-term targets on the way. Strategy: how we get there. Actions: who does "
                "what by when. Resources: the people and budget needed. Test: how we measure "
                "success. The plan also states how we build an advantage over the competitors "
                "in relationships and in solutions (value implantation)."
            ),
        ),
    ),
    Term(
        "closeness",
        _("Closeness index"),
        _(
            "0–100: how positive the mapped contacts are towards a party, weighted by "
            "their influence. 50 is neutral, above 50 positive, below 50 negative."
        ),
        (
            _(
                "Each mapped contact's relationship status counts from −2 (strongly "
                "negative) to +2 (strongly positive), weighted by their influence (1–5). "
                "The index is 50 + 25 × the weighted mean: 100 means every contact is "
                "strongly positive, 0 every contact strongly negative. It is computed for us "
                "and for each competitor whose statuses are recorded, for an account or a deal."
            ),
        ),
    ),
    Term(
        "influence",
        _("Influence"),
        _("How much a contact's opinion weighs in the customer's decisions, from 1 to 5."),
        (
            _(
                "1 means the contact's opinion hardly counts; 5 means their word decides. "
                "Influence weights the contact in the closeness index and sizes their node on "
                "the relationship map."
            ),
        ),
    ),
    Term(
        "peak-load",
        _("Peak load"),
        _(
            "The highest weekly load of a presales person over the request's period, with "
            "this request added; above 100% they would be overbooked."
        ),
        (
            _(
                "Load is the booked effort of a week divided by the person's capacity. The "
                "scheduler proposes people who fit first (no week above 100%), then the best "
                "skill match, people of the unit that owns the deal, and the lowest peak load."
            ),
        ),
    ),
    Term(
        "stage-score",
        _("Stage-exit score"),
        _(
            "When a stage ends its owner scores each participant from 0 to 100; the scores "
            "feed the participants' performance reports."
        ),
        (
            _(
                "0 means the contribution was missing or harmful, 100 that it was outstanding. "
                "Everyone who works on a deal is assessed, not only the sales person, and "
                "everyone named on a won deal is credited with its amount."
            ),
        ),
    ),
    Term(
        "three-functions",
        _("Three functions of account management"),
        _(
            "What key-account management is appraised on: relationship advantage built, "
            "solution advantage built, opportunities incubated."
        ),
        (
            _(
                "Relationship advantage: the change of the closeness index over the rep's key "
                "accounts and positive approvers and decision makers. Solution advantage: the "
                "share of key accounts whose plan shows us ahead of both top competitors. "
                "Opportunities incubated: deals started from plan actions or visits. Appraising "
                "these, and not wins alone, keeps key accounts from drifting away."
            ),
        ),
    ),
    Term(
        "three-uses",
        _("Three uses in a pursuit"),
        _(
            "Recorded when a deal closes: were connections, the solution and the rules used "
            "to win it?"
        ),
        (
            _(
                "Connections used: an inside source or a contact reached through one of our "
                "employees, with approver and decision maker positive at close. Solution used: "
                "the value proposition put us ahead of both top competitors on at least two "
                "dimensions. Rules used: no blocking rule overridden and no serious risk open "
                "at close. Reports compare the win rate of deals that used each with those "
                "that did not."
            ),
        ),
    ),
)

TERMS_BY_SLUG = {term.slug: term for term in TERMS}
