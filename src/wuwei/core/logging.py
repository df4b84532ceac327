"""Log records that say which request and which user they belong to; JSON when asked
(WUWEI_LOG_FORMAT=json), one object per line for a log collector."""

import json
import logging
from datetime import UTC, datetime
from typing import Any

from wuwei.core.request_context import current_request, request_user

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class RequestContextFilter(logging.Filter):
    """Adds `request_id` and `user` ("-" outside a request) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        # django.request logs its 4xx/5xx lines after the middleware; it passes the request.
        request = current_request.get() or getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", "-") if request else "-"
        user = request_user(request)
        record.user = user.get_username() if user is not None else "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        body: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "user": getattr(record, "user", "-"),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in body:
                body[key] = value if isinstance(value, int | float | bool | str) else str(value)
        if record.exc_info:
            body["exception"] = self.formatException(record.exc_info)
        return json.dumps(body, ensure_ascii=False)
