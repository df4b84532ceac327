"""`Idempotency-Key` on API POSTs (API.md): the first result is stored and replayed on retry.

The key is reserved before the request runs, so two concurrent retries cannot both create.
Only successful (2xx) results are kept: a corrected retry after a 4xx may go through.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from wuwei.core.models import IdempotencyRecord

IN_PROGRESS = 0
ABANDONED_AFTER = timedelta(minutes=5)


def _caller(request: HttpRequest) -> Any:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        from wuwei.org.tokens import user_for_token

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
        try:
            with transaction.atomic():
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
            if self._abandoned(user, key):
                return self(request)
            return self._replay(user, key, request)
        response = self.get_response(request)
        if 200 <= response.status_code < 300 and not response.streaming:
            IdempotencyRecord.objects.filter(pk=record.pk).update(
                status=response.status_code,
                content_type=response.get("Content-Type", "application/json"),
                body=response.content,
            )
        else:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
        return response

    def _abandoned(self, user: Any, key: str) -> bool:
        """A reservation whose request died (process killed) frees its key after a while."""
        cutoff = timezone.now() - ABANDONED_AFTER
        deleted, _rows = IdempotencyRecord.objects.filter(
            user=user, key=key, status=IN_PROGRESS, created_at__lt=cutoff
        ).delete()
        return deleted > 0

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
