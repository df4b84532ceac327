"""Exports of every list and report (issue 14): the list's own filters and visibility, the
partner fields only, formula text neutralised, CSV streamed, XLSX readable by openpyxl."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from tests.factories import make_account, make_contact, make_user
from tests.opportunities.factories import make_competitor, make_opportunity
from tests.world import MARKER, build_world
from wuwei.core.exports import Column, cell, export_response, neutralise
from wuwei.opportunities.models import Opportunity


def _csv(response):
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def _xlsx(response):
    assert isinstance(response, FileResponse)
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


# ---------------------------------------------------------------------------------- the helper


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("plain", "plain"),
        ("a=b", "a=b"),
    ],
)
def test_formula_text_is_neutralised(value, expected):
    assert neutralise(value) == expected
    assert cell(value) == expected


def test_cells_keep_numbers_and_dates_and_words_for_booleans():
    with translation.override("en"):
        assert cell(Decimal("-5.50")) == Decimal("-5.50")  # a number, not formula text
        assert cell(-3) == -3
        assert cell(date(2027, 1, 2)) == date(2027, 1, 2)
        assert cell(None) == ""
        assert (cell(True), cell(False)) == ("Yes", "No")
        assert cell(["=a", "b"]) == "'=a; b"


COLUMNS = [
    Column("Name", lambda row: row["name"]),
    Column("Amount", lambda row: row["amount"]),
    Column("Secret", lambda row: "internal", internal=True),
]
ROWS = [{"name": "=cmd|' /C calc'!A0", "amount": Decimal("12.50")}, {"name": "张三", "amount": 1}]


def _request(user):
    request = RequestFactory().get("/x/")
    request.user = user
    return request


def test_csv_export_streams_with_a_header_and_neutralised_cells(org):
    response = export_response(_request(org.rep), iter(ROWS), COLUMNS, filename="things", fmt="csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="wuwei-things-' in response["Content-Disposition"]
    assert _csv(response) == [
        ["Name", "Amount", "Secret"],
        ["'=cmd|' /C calc'!A0", "12.50", "internal"],
        ["张三", "1", "internal"],
    ]


def test_xlsx_export_opens_with_openpyxl(org):
    response = export_response(
        _request(org.rep), iter(ROWS), COLUMNS, filename="things", fmt="xlsx"
    )
    assert response["Content-Disposition"].startswith('attachment; filename="wuwei-things-')
    assert _xlsx(response) == [
        ["Name", "Amount", "Secret"],
        ["'=cmd|' /C calc'!A0", 12.5, "internal"],
        ["张三", 1, "internal"],
    ]


def test_internal_columns_never_reach_a_partner(org):
    response = export_response(_request(org.partner), iter(ROWS), COLUMNS, filename="t", fmt="csv")
    assert [row[-1] for row in _csv(response)] == ["Amount", "12.50", "1"]


def test_labels_are_in_the_language_of_the_request(org, web):
    make_account(org.rep, name="Acme")
    client = web(org.rep)
    english = _csv(client.get("/accounts/", {"export": "csv"}))
    chinese = _csv(client.get("/accounts/", {"export": "csv"}, HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert english[0][:2] == ["ID", "Name"]
    assert chinese[0][1] == "名称"
    assert chinese[1][1] == english[1][1] == "Acme"


# ----------------------------------------------------------------------------- the list pages


def test_account_export_has_the_rows_of_the_filtered_list(org, web):
    for number in range(3):
        make_account(org.rep, name=f"Acme {number}")
    make_account(org.rep, name="Other")
    make_account(org.peer_rep, name="Acme of a peer")  # not visible to the rep
    client = web(org.rep)
    listed = client.get("/accounts/", {"q": "acme"}).context["page"].count
    rows = _csv(client.get("/accounts/", {"q": "acme", "export": "csv"}))
    assert listed == len(rows) - 1 == 3
    assert sorted(row[1] for row in rows[1:]) == ["Acme 0", "Acme 1", "Acme 2"]
    sheet = _xlsx(client.get("/accounts/", {"q": "acme", "export": "xlsx"}))
    assert len(sheet) == 4 and sheet[0][:2] == ["ID", "Name"]


def test_account_export_neutralises_a_formula_name(org, web):
    make_account(org.rep, name='=HYPERLINK("http://evil")')
    rows = _csv(web(org.rep).get("/accounts/", {"export": "csv"}))
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'


def test_export_query_count_does_not_grow_with_rows(org, web, django_assert_num_queries):
    account = make_account(org.rep, name="Acme")
    make_contact(account, name="One")
    client = web(org.rep)
    client.get("/contacts/", {"export": "csv"})  # warm the session
    with CaptureQueriesContext(connection) as small:
        b"".join(client.get("/contacts/", {"export": "csv"}).streaming_content)
        b"".join(client.get("/connections/activities/", {"export": "csv"}).streaming_content)
        b"".join(client.get("/opportunities/", {"export": "csv"}).streaming_content)
    for number in range(6):
        other = make_account(org.rep, name=f"Acme {number}")
        make_contact(other, name=f"Contact {number}", reports_to=None)
        make_opportunity(org.rep, other, name=f"Deal {number}")
    with django_assert_num_queries(len(small.captured_queries)):
        b"".join(client.get("/contacts/", {"export": "csv"}).streaming_content)
        b"".join(client.get("/connections/activities/", {"export": "csv"}).streaming_content)
        b"".join(client.get("/opportunities/", {"export": "csv"}).streaming_content)


def test_opportunity_export_follows_the_filters(org, web):
    account = make_account(org.rep, name="Acme")
    make_opportunity(org.rep, account, 100, name="Small deal")
    make_opportunity(org.rep, account, 900, name="Big deal")
    client = web(org.rep)
    page = client.get("/opportunities/", {"q": "big"})
    rows = _csv(client.get("/opportunities/", {"q": "big", "export": "csv"}))
    assert page.context["page"].count == len(rows) - 1 == 1
    assert rows[1][1] == "Big deal"
    assert "Owner" in rows[0] and "Win rate" in rows[0]


def test_partner_exports_only_their_deals_and_partner_fields(org, web):
    world = build_world(org)
    client = web(org.partner)
    rows = _csv(client.get("/opportunities/", {"export": "csv"}))
    assert rows == [rows[0]]  # nothing of ours yet
    Opportunity.objects.filter(pk=world.ids["opportunity_id"]).update(partner=org.partner_team)
    rows = _csv(client.get("/opportunities/", {"export": "csv"}))
    assert rows[0] == [
        "ID",
        "Name",
        "Account",
        "Amount",
        "Currency",
        "Stage",
        "Expected close",
        "Partner",
    ]
    assert [row[1] for row in rows[1:]] == [f"{MARKER} Deal"]
    sheet = _xlsx(client.get("/opportunities/", {"export": "xlsx"}))
    assert sheet[0] == rows[0] and len(sheet) == 2


EXPORTS = [
    "/accounts/",
    "/accounts/conflicts/",
    "/contacts/",
    "/connections/activities/",
    "/connections/",
    "/opportunities/",
    "/opportunities/registrations/",
    "/competitors/",
    "/support/",
    "/support/performance/",
    "/coaching/",
    "/coaching/actions/",
    "/risks/",
    "/playbook/lessons/",
    "/insights/segments/",
    "/org/audit/",
]


@pytest.mark.parametrize("path", EXPORTS)
def test_every_list_offers_and_answers_both_formats(org, web, path):
    build_world(org)
    client = web(org.admin)
    page = client.get(path)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-export="csv"' in body and 'data-export="xlsx"' in body, path
    rows = _csv(client.get(path, {"export": "csv"}))
    sheet = _xlsx(client.get(path, {"export": "xlsx"}))
    assert rows[0] and sheet[0] == rows[0]
    assert len(sheet) == len(rows)


@pytest.mark.parametrize("path", EXPORTS)
def test_outsider_and_partner_export_nothing_hidden(org, web, path):
    build_world(org)
    outsider = make_user("outsider", team=org.north_ka)
    for user in (outsider, org.partner):
        for fmt in ("csv", "xlsx"):
            response = web(user).get(path, {"export": fmt})
            assert response.status_code in (200, 404), (user, path)
            if response.status_code == 200:
                content = b"".join(response.streaming_content)
                if fmt == "csv":
                    assert MARKER.encode() not in content, (user, path)
                else:
                    workbook = load_workbook(io.BytesIO(content), read_only=True)
                    values = [
                        v for row in workbook.worksheets[0].iter_rows(values_only=True) for v in row
                    ]
                    assert not any(MARKER in str(v) for v in values), (user, path)


def test_internal_reports_answer_404_to_a_partner(org, web):
    client = web(org.partner)
    for path in ("/risks/", "/playbook/lessons/", "/insights/segments/", "/org/audit/"):
        assert client.get(path, {"export": "csv"}).status_code == 404, path


def test_competitor_export_is_refused_to_a_partner(org, web):
    make_competitor(org.rep, name="Rival")
    assert web(org.partner).get("/competitors/", {"export": "csv"}).status_code == 404
    assert len(_csv(web(org.rep).get("/competitors/", {"export": "csv"}))) == 2


def test_anonymous_export_is_sent_to_login(client):
    response = client.get("/accounts/", {"export": "csv"})
    assert response.status_code == 302 and "/login/" in response["Location"]
