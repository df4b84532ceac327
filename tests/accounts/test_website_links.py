"""Regression: a website `javascript:…` was stored and rendered as a link. Now refused at every
edge (API, form, service) and never linked when rendering."""

import pytest

from tests.accounts.factories import make_competitor
from tests.factories import make_account
from wuwei.accounts.models import Account
from wuwei.competitors.models import Competitor
from wuwei.core.errors import ValidationFailed

HOSTILE = ["javascript:alert(document.cookie)", "javascript://%0aalert(1)", "data:text/html,x"]


@pytest.mark.parametrize("website", HOSTILE)
def test_api_refuses_a_non_http_website_on_create_and_patch(org, api, website):
    client = api(org.rep)
    response = client.post("/accounts", {"name": "Acme", "website": website})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["website"]
    assert not Account.objects.filter(name="Acme").exists()
    account = make_account(org.rep, name="Bolt", website="https://bolt.example")
    response = client.patch(f"/accounts/{account.pk}", {"website": website, "version": 1})
    assert response.status_code == 422
    account.refresh_from_db()
    assert account.website == "https://bolt.example"


def test_api_accepts_http_https_and_bare_hosts(org, api):
    client = api(org.rep)
    for website in ("https://a.example", "http://b.example/x", "www.c.example", ""):
        response = client.post("/accounts", {"name": f"Acme {website}", "website": website})
        assert response.status_code == 201, response.json()
        assert response.json()["website"] == website


@pytest.mark.parametrize("website", HOSTILE)
def test_competitor_api_refuses_a_non_http_website(org, api, website):
    client = api(org.admin)
    response = client.post("/competitors", {"name": "Rival", "website": website})
    assert response.status_code == 422
    assert not Competitor.objects.filter(name="Rival").exists()


def test_form_refuses_a_javascript_website(org, web):
    response = web(org.rep).post(
        "/accounts/new/",
        {
            "name": "Form Co",
            "industry": "it",
            "segment": "SMB",
            "status": "prospect",
            "owner": org.rep.pk,
            "hq_scope": "local",
            "website": "javascript:alert(1)",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert "Enter a web address starting with http:// or https://." in response.content.decode()
    assert not Account.objects.filter(name="Form Co").exists()


def test_service_refuses_a_javascript_website(org):
    with pytest.raises(ValidationFailed):
        make_account(org.rep, name="Service Co", website="javascript:alert(1)")


def test_a_stored_javascript_website_is_shown_as_text_not_as_a_link(org, web):
    # given: a value stored before the rule (bypassing validation, as old rows may)
    account = make_account(org.rep, name="Old Co")
    Account.objects.filter(pk=account.pk).update(website="javascript://%0aalert(1)")
    competitor = make_competitor("Old Rival")
    Competitor.objects.filter(pk=competitor.pk).update(website="javascript:alert(1)")
    client = web(org.rep)
    # when / then: the overview shows the text, with no href anywhere carrying it
    html = client.get(f"/accounts/{account.pk}/").content.decode()
    assert "javascript://%0aalert(1)" in html
    assert 'href="javascript' not in html.lower()
    html = client.get(f"/competitors/{competitor.pk}/").content.decode()
    assert "javascript:alert(1)" in html
    assert 'href="javascript' not in html.lower()


def test_an_http_website_is_linked(org, web):
    account = make_account(org.rep, name="Good Co", website="www.good.example")
    html = web(org.rep).get(f"/accounts/{account.pk}/").content.decode()
    assert 'href="https://www.good.example"' in html
