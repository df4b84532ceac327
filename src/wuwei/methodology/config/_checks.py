"""Shared pieces of the configuration sections: the error type and small range checks."""

from decimal import Decimal

from wuwei.methodology.config._codec import ErrorList


class ConfigError(ValueError):
    """Invalid configuration; `errors` lists (field path, message) pairs."""

    def __init__(self, errors: ErrorList) -> None:
        self.errors: list[tuple[str, str]] = list(errors)
        super().__init__("; ".join(f"{path}: {message}" for path, message in self.errors))


def within(errors: ErrorList, path: str, value: Decimal | int, low: int, high: int) -> None:
    if not low <= value <= high:
        errors.append((path, f"must be between {low} and {high}"))


def at_least(errors: ErrorList, path: str, value: Decimal | int, low: int) -> None:
    if value < low:
        errors.append((path, f"must be at least {low}"))


def positive(errors: ErrorList, path: str, value: Decimal | int) -> None:
    if value <= 0:
        errors.append((path, "must be greater than 0"))
