"""`Idempotency-Key` on API POSTs (API.md): the first result is stored and replayed on retry.

Exactly once: the request runs inside one database transaction that also holds the key's
record, and the response is stored in that same transaction before it commits. So the write
and its stored answer commit together or not at all: a worker killed before the commit leaves
neither (the retry runs afresh), killed after it leaves both (the retry replays the answer).
The key is inserted first, so a concurrent retry with the same key waits on the unique
(user, key) index and then replays the stored answer — never a second row.
Only successful (2xx) results are kept: a corrected retry after a 4xx may go through.
"""

from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from wuwei.core.auth import user_for_token
from wuwei.core.models import IdempotencyRecord

IN_PROGRESS = 0


def _caller(request: HttpRequest) -> Any:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return user_for_token(header[7:].strip())
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _error(detail: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"detail": detail, "errors": [{"field": "Idempotency-Key", "message": detail}]},
        status=status,
    )


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get("Idempotency-Key", "").strip()
        if request.method != "POST" or not key or not request.path.startswith("/api/"):
            return self.get_response(request)
        if len(key) > 200:
            return _error(_("Idempotency-Key must be at most 200 characters."), 422)
        user = _caller(request)
        if user is None:
            return self.get_response(request)
        with transaction.atomic():
            try:
                with transaction.atomic():  # a savepoint: a taken key leaves the outer intact
                    record = IdempotencyRecord.objects.create(
                        user=user,
                        key=key,
                        method="POST",
                        path=request.path,
                        status=IN_PROGRESS,
                        content_type="",
                        body=b"",
                    )
            except IntegrityError:
                record = None
            if record is not None:
                response = self.get_response(request)
                self._store(record, response)
                return response
        return self._replay(user, key, request)

    @staticmethod
    def _store(record: IdempotencyRecord, response: HttpResponse) -> None:
        """Keep a 2xx answer beside the write (same transaction); forget the key otherwise."""
        if transaction.get_connection().needs_rollback:
            return  # the request's own work is being rolled back, the key with it
        if 200 <= response.status_code < 300 and not response.streaming:
            record.status = response.status_code
            record.content_type = response.get("Content-Type", "application/json")
            record.body = response.content
            record.save(update_fields=["status", "content_type", "body"])
        else:
            record.delete()

    def _replay(self, user: Any, key: str, request: HttpRequest) -> HttpResponse:
        record = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if record is None or record.status == IN_PROGRESS:
            return _error(_("A request with this Idempotency-Key is still in progress."), 409)
        if record.path != request.path:
            return _error(_("This Idempotency-Key was already used for another request."), 422)
        response = HttpResponse(
            bytes(record.body), status=record.status, content_type=record.content_type
        )
        response["Idempotent-Replayed"] = "true"
        return response
