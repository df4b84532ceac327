"""JSON encoding and tolerant decoding of configuration (helpers for `config.py`).

Decoding never raises on the first problem: every error is collected as (field path, message)
so an administrator sees all of them at once.
"""

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeAlias, TypeVar

JsonValue: TypeAlias = str | int | bool | list["JsonValue"] | dict[str, "JsonValue"] | None
ErrorList: TypeAlias = list[tuple[str, str]]
EnumT = TypeVar("EnumT", bound=StrEnum)

_MISSING = object()


def encode(value: object) -> JsonValue:
    """Dataclasses → dicts, Decimals → strings, enums → their slug, tuples → lists."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, str):
        return str(value)
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, Mapping):
        return {str(key): encode(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [encode(item) for item in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in fields(value)}
    raise TypeError(f"cannot encode {type(value).__name__}")


def to_decimal(raw: object) -> Decimal | None:
    """A finite Decimal from a JSON number or numeric string; None when it is not one."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(str(raw))
    elif isinstance(raw, str):
        try:
            value = Decimal(raw.strip())
        except InvalidOperation:
            return None
    else:
        return None
    return value if value.is_finite() else None


def join_path(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class Reader:
    """Reads one JSON object: missing keys give the default, bad values are collected."""

    def __init__(self, data: object, path: str, errors: ErrorList) -> None:
        self.path = path
        self.errors = errors
        self._used: set[str] = set()
        self._data: Mapping[str, object]
        if data is None:
            self._data = {}
        elif isinstance(data, Mapping):
            self._data = data
        else:
            errors.append((path or "(root)", "must be an object"))
            self._data = {}

    def _get(self, key: str) -> object:
        self._used.add(key)
        return self._data.get(key, _MISSING)

    def _error(self, key: str, message: str) -> None:
        self.errors.append((join_path(self.path, key), message))

    def decimal(self, key: str, default: Decimal) -> Decimal:
        raw = self._get(key)
        if raw is _MISSING:
            return default
        value = to_decimal(raw)
        if value is None:
            self._error(key, "must be a number")
            return default
        return value

    def integer(self, key: str, default: int) -> int:
        raw = self._get(key)
        if raw is _MISSING:
            return default
        value = to_decimal(raw)
        if value is None or value != value.to_integral_value():
            self._error(key, "must be a whole number")
            return default
        return int(value)

    def strings(self, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        raw = self._get(key)
        if raw is _MISSING:
            return default
        if not isinstance(raw, list | tuple) or not all(isinstance(item, str) for item in raw):
            self._error(key, "must be a list of strings")
            return default
        return tuple(str(item) for item in raw)

    def decimals(self, key: str) -> dict[str, Decimal] | None:
        """A free-keyed object of numbers; None when the key is missing."""
        raw = self._get(key)
        if raw is _MISSING:
            return None
        if not isinstance(raw, Mapping):
            self._error(key, "must be an object")
            return None
        result: dict[str, Decimal] = {}
        for name, item in raw.items():
            value = to_decimal(item)
            if value is None:
                self._error(f"{key}.{name}", "must be a number")
            else:
                result[str(name)] = value
        return result

    def choice(self, key: str, kind: type[EnumT], default: EnumT) -> EnumT:
        value = self.optional_choice(key, kind, default)
        if value is None:
            self._error(key, "must not be null")
            return default
        return value

    def optional_choice(self, key: str, kind: type[EnumT], default: EnumT | None) -> EnumT | None:
        raw = self._get(key)
        if raw is _MISSING:
            return default
        if raw is None:
            return None
        allowed = [member.value for member in kind]
        if not isinstance(raw, str) or raw not in allowed:
            self._error(key, "must be one of: " + ", ".join(allowed))
            return default
        return kind(raw)

    def child(self, key: str) -> "Reader":
        raw = self._get(key)
        return Reader(None if raw is _MISSING else raw, join_path(self.path, key), self.errors)

    def entries(self, key: str) -> list[tuple[str, "Reader"]] | None:
        """The (name, reader) pairs of a free-keyed object; None when the key is missing."""
        raw = self._get(key)
        if raw is _MISSING:
            return None
        path = join_path(self.path, key)
        if not isinstance(raw, Mapping):
            self.errors.append((path, "must be an object"))
            return None
        return [
            (str(name), Reader(item, join_path(path, str(name)), self.errors))
            for name, item in raw.items()
        ]

    def finish(self) -> None:
        """Report keys nobody asked for: a typo must not silently fall back to a default."""
        for key in self._data:
            if key not in self._used:
                self._error(str(key), "unknown setting")
