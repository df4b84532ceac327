"""The seeded default rules come from a data migration; a transactional test (the browser
journeys) empties every table afterwards, so put them back where they are missing."""

import importlib

import pytest
from django.apps import apps

from wuwei.playbook.models import RiskRule


@pytest.fixture(autouse=True)
def default_rules(db):
    if not RiskRule.objects.exists():
        migration = importlib.import_module("wuwei.playbook.migrations.0002_risk_rules")
        migration.seed(apps, None)
