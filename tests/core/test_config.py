"""The stored method configuration: METHOD.md defaults, validated admin changes."""

import json

import pytest

from wuwei.core.config import method_config, method_config_update
from wuwei.core.errors import Conflict, NotAllowed, ValidationFailed
from wuwei.methodology.config import MethodConfig


def test_defaults_are_method_md(db):
    assert method_config() == MethodConfig()


def test_admin_change_is_validated_versioned_and_read_back(org):
    data = MethodConfig().to_dict()
    data["grading"]["revenue_weight"] = "0.50"
    with pytest.raises(ValidationFailed) as excinfo:
        method_config_update(user=org.admin, data=data, expected_version=None)
    assert any("grading" in field for field, _message in excinfo.value.errors)
    data["grading"]["potential_weight"] = "0.20"
    method_config_update(user=org.admin, data=data, expected_version=None)
    assert str(method_config().grading.revenue_weight) == "0.50"
    with pytest.raises(Conflict):
        method_config_update(user=org.admin, data=data, expected_version=5)


def test_only_admins_change_configuration(org):
    with pytest.raises(NotAllowed):
        method_config_update(user=org.manager, data={}, expected_version=None)


def test_admin_page_rejects_weights_not_summing_to_one(org, client):
    client.force_login(org.admin)
    data = MethodConfig().to_dict()
    data["grading"]["revenue_weight"] = "0.9"
    response = client.post("/admin/core/methodsettings/add/", {"data": json.dumps(data)})
    assert response.status_code == 200
    assert method_config() == MethodConfig()
