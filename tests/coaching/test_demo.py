from django.core.management import call_command

from wuwei.coaching.models import CoachingAction, CoachingReview
from wuwei.coaching.selectors import coaching_queue
from wuwei.org.models import User


def test_demo_managers_have_reviews_actions_and_a_queue(db):
    call_command("demo", verbosity=0)
    counts = (CoachingReview.objects.count(), CoachingAction.objects.count())
    call_command("demo", verbosity=0)
    assert (CoachingReview.objects.count(), CoachingAction.objects.count()) == counts == (3, 4)
    assert set(CoachingReview.objects.values_list("reviewer__username", flat=True)) == {
        "mgr_east",
        "mgr_north",
    }
    assert CoachingAction.objects.filter(status="done").count() == 1
    queue = coaching_queue(user=User.objects.get(username="mgr_east"), limit=500)
    moved = [i for i in queue.items if i.opportunity.name.endswith("Core system upgrade")]
    deal = moved[0].opportunity
    deal.refresh_from_db()
    review = CoachingReview.objects.get(opportunity=deal)
    # the rep's questionnaire after the review moved the rate (through the real service)
    assert deal.questionnaires.first().answered_at > review.reviewed_at
    assert [(c.kind, c.old, c.new) for c in moved[0].changes] == [
        ("win_rate", review.win_rate_at_review, deal.win_rate)
    ]
    assert review.win_rate_at_review != deal.win_rate
    reviewed = [i for i in queue.items if i.opportunity.name == "[demo] 数据中台 Data platform"]
    assert reviewed == []
