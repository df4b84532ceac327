"""Domain errors raised by services; the API and the web layer turn them into responses."""

from collections.abc import Sequence


class DomainError(Exception):
    """A rule of the domain refused the request. `status` is the HTTP status it maps to."""

    status = 422

    def __init__(self, detail: str, errors: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors)


class ValidationFailed(DomainError):
    status = 422


class Conflict(DomainError):
    """Stale version, duplicate, or a rule that blocks (stage gate): nothing was changed."""

    status = 409


class NotAllowed(DomainError):
    """The caller can see the object but may not do this to it."""

    status = 403


class NotFound(DomainError):
    """Absent or not visible to the caller: the two are never told apart."""

    status = 404
