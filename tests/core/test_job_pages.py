"""The job progress page and its htmx fragment: who may see it, polling, cancel, download."""

import pytest
from django.test import Client

from tests.core import job_samples
from wuwei.core.jobs import run_pending
from wuwei.core.models import JobRun, JobStatus

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def running(org):
    run = job_samples.count_to.enqueue(user=org.rep, n=10)
    JobRun.objects.filter(pk=run.pk).update(
        status=JobStatus.RUNNING, done=4, total=10, message=f"row 4 {HOSTILE}"
    )
    run.refresh_from_db()
    return run


@pytest.mark.parametrize("page", ["", "progress/", "file/"])
def test_outsiders_and_partners_get_404(org, web, running, page):
    for user in (org.peer_rep, org.partner, org.manager):
        assert web(user).get(f"/jobs/{running.pk}/{page}").status_code == 404


def test_anonymous_is_sent_to_login(db, running):
    response = Client().get(f"/jobs/{running.pk}/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_page_shows_progress_that_polls_itself_and_escapes_messages(org, web, running):
    page = web(org.rep).get(f"/jobs/{running.pk}/").content.decode()
    assert "Count to n" in page
    assert 'aria-valuenow="40"' in page and "width: 40%" in page
    assert "4 of 10" in page
    assert f'hx-get="/jobs/{running.pk}/progress/" hx-trigger="every 1s"' in page
    assert HOSTILE not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert web(org.admin).get(f"/jobs/{running.pk}/").status_code == 200  # administrators


def test_a_finished_run_stops_polling_and_offers_its_file(org, web, settings, tmp_path):
    settings.WUWEI_JOB_FILES = tmp_path
    run = job_samples.write_file.enqueue(user=org.rep, text="a,b\n1,2\n")
    client = web(org.rep)
    assert client.get(f"/jobs/{run.pk}/file/").status_code == 404  # not finished yet
    run_pending()
    fragment = client.get(f"/jobs/{run.pk}/progress/").content.decode()
    assert 'data-status="succeeded"' in fragment
    assert "hx-trigger" not in fragment and "job-cancel" not in fragment
    assert f'href="/jobs/{run.pk}/file/"' in fragment
    response = client.get(f"/jobs/{run.pk}/file/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="out.txt"'
    assert b"".join(response.streaming_content) == b"a,b\n1,2\n"


def test_a_file_outside_the_jobs_folder_is_never_served(org, web, settings, tmp_path):
    settings.WUWEI_JOB_FILES = tmp_path / "jobs"
    secret = tmp_path / "secret.txt"
    secret.write_text("no")
    run = JobRun.objects.create(
        job="x", user=org.rep, status=JobStatus.SUCCEEDED, result_file=str(secret)
    )
    assert web(org.rep).get(f"/jobs/{run.pk}/file/").status_code == 404


def test_cancel_from_the_page(org, web, running):
    client = web(org.rep)
    response = client.post(f"/jobs/{running.pk}/cancel/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Cancelling…" in response.content.decode()
    running.refresh_from_db()
    assert running.cancel_requested and running.status == JobStatus.RUNNING
    queued = job_samples.count_to.enqueue(user=org.rep, n=1)
    response = client.post(f"/jobs/{queued.pk}/cancel/")
    assert response.status_code == 302
    queued.refresh_from_db()
    assert queued.status == JobStatus.CANCELLED


def test_an_outsider_cannot_cancel(org, web, running):
    assert web(org.peer_rep).post(f"/jobs/{running.pk}/cancel/").status_code == 404
    running.refresh_from_db()
    assert not running.cancel_requested


def test_the_fragment_costs_a_fixed_number_of_queries(org, web, running, django_assert_num_queries):
    client = web(org.rep)
    client.get(f"/jobs/{running.pk}/progress/")  # warm up (session, language)
    with django_assert_num_queries(4):  # session, user, roles, the run
        client.get(f"/jobs/{running.pk}/progress/")
