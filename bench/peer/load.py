"""Load the benchmark data into the peer CRM (BottleCRM, PyPI `django-crm`) through its ORM.

Runs inside the peer's own virtualenv (bench/peer/install.sh), never ours:

    . $PEER_HOME/env && $PEER_HOME/venv/bin/python bench/peer/load.py --scale 20000 \
        --out $PEER_HOME/config.json

Same counts as bench/serverdata.py builds for Wuwei: scale/10 accounts, scale/2 contacts
(300 on one account), `scale` deals over 40 reps, and one rep ("sparse") assigned exactly 20
deals. Writes personal access tokens for an org admin (our executive) and for the sparse rep,
with the ids the scenarios use, to the --out JSON. Idempotent: an org named "Bench Co" already
there is reused (only new tokens are made).
"""

import argparse
import json
import random
import sys
from decimal import Decimal

import django

BATCH = 5_000
SPARSE = 20
MAP_CONTACTS = 300


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=20_000)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    django.setup()
    from accounts.models import Account
    from common.models import Org, PersonalAccessToken, Profile, User
    from contacts.models import Contact
    from django.db import connection, transaction
    from opportunity.models import DealPipeline, Opportunity

    n = args.scale
    rng = random.Random(17)

    def rls(org: "Org") -> None:
        # The peer's row-level security: every row is filtered by this session variable.
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('app.current_org', %s, false)", [str(org.id)])

    org = Org.objects.filter(name="Bench Co").first()
    fresh = org is None
    if fresh:
        org = Org.objects.create(name="Bench Co")
    rls(org)

    def profile(email: str, role: str) -> "Profile":
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password="bench-password-1"
        )
        found = Profile.objects.filter(user=user, org=org).first()
        return found or Profile.objects.create(
            user=user,
            org=org,
            role=role,
            has_sales_access=True,
            is_organization_admin=role == "ADMIN",
        )

    executive = profile("executive@bench.example", "ADMIN")
    sparse = profile("sparse-rep@bench.example", "USER")
    if fresh:
        reps = [profile(f"rep{i}@bench.example", "USER") for i in range(40)]
        pipeline = DealPipeline.default_for(org)
        stages = [s.code for s in pipeline.stages.all()] or [""]
        with transaction.atomic():
            n_accounts = max(20, n // 10)
            accounts = Account.objects.bulk_create(
                (
                    Account(name=f"Account {i:07d}", org=org, created_by=executive.user)
                    for i in range(n_accounts - 1)
                ),
                batch_size=BATCH,
            )
            sparse_account = Account.objects.create(
                name="Account sparse", org=org, created_by=sparse.user
            )
            n_contacts = max(MAP_CONTACTS + 10, n // 2)
            Contact.objects.bulk_create(
                (
                    Contact(
                        first_name="Contact",
                        last_name=str(i),
                        org=org,
                        account=accounts[0]
                        if i < MAP_CONTACTS
                        else accounts[1 + i % (len(accounts) - 1)],
                    )
                    for i in range(n_contacts)
                ),
                batch_size=BATCH,
            )
            through = Opportunity.assigned_to.through

            def deal(i: int, account: "Account", owner: "Profile") -> "Opportunity":
                amount = Decimal(rng.choice([50_000, 400_000, 400_000, 2_000_000, 8_000_000]))
                return Opportunity(
                    name=f"Deal {i}",
                    account=account,
                    amount=amount + rng.randint(0, 9999),
                    currency="CNY",
                    stage=rng.choice(stages),
                    pipeline=pipeline,
                    probability=rng.choice([0, 20, 40, 60, 80]),
                    org=org,
                    created_by=owner.user,
                )

            mine = Opportunity.objects.bulk_create(
                deal(i, sparse_account, sparse) for i in range(SPARSE)
            )
            through.objects.bulk_create(
                through(opportunity_id=o.id, profile_id=sparse.id) for o in mine
            )
            for start in range(0, n - SPARSE, BATCH):
                owners = [reps[rng.randrange(len(reps))] for _ in range(BATCH)]
                made = Opportunity.objects.bulk_create(
                    deal(i, accounts[rng.randrange(len(accounts))], owners[i - start])
                    for i in range(start, min(n - SPARSE, start + BATCH))
                )
                through.objects.bulk_create(
                    through(opportunity_id=o.id, profile_id=owners[k].id)
                    for k, o in enumerate(made)
                )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    rls(org)
    sparse_account = Account.objects.get(org=org, name="Account sparse")
    # The rep's deals are open ones (a closed deal refuses an edit without its close date),
    # like the deals the Wuwei rep edits.
    pipeline = DealPipeline.default_for(org)
    open_codes = [s.code for s in pipeline.stages.filter(kind="open")]
    if open_codes:
        Opportunity.objects.filter(org=org, assigned_to=sparse).exclude(
            stage__in=open_codes
        ).update(stage=open_codes[0])
    config = {
        "scale": Opportunity.objects.filter(org=org).count(),
        "tokens": {
            "executive": PersonalAccessToken.generate(executive, "bench")[0],
            "rep": PersonalAccessToken.generate(sparse, "bench")[0],
        },
        "deals": {
            "executive": [
                str(pk)
                for pk in Opportunity.objects.filter(org=org)
                .order_by("id")
                .values_list("id", flat=True)[:SPARSE]
            ],
            "rep": [
                str(pk)
                for pk in Opportunity.objects.filter(org=org, assigned_to=sparse)
                .order_by("id")
                .values_list("id", flat=True)[:SPARSE]
            ],
        },
        "account": str(sparse_account.id),
    }
    with open(args.out, "w") as out:
        json.dump(config, out, indent=2)
    print(f"peer loaded: {config['scale']:,} deals; config in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
