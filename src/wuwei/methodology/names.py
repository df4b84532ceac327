"""Company-name normalisation for duplicate-account detection (§7.3)."""

import unicodedata
from functools import lru_cache

__all__ = ["CHINESE_SUFFIXES", "LATIN_SUFFIXES", "normalize_company_name"]

# Legal-form suffixes, longest first. 集团 / "group" is NOT a legal form here: a group parent
# and its operating company are different accounts in the group hierarchy (§2.1), so
# "美的集团有限公司" normalises to "美的集团", not "美的".
CHINESE_SUFFIXES: tuple[str, ...] = (
    "股份有限公司",
    "有限责任公司",
    "有限責任公司",
    "有限公司",
    "股份公司",
    "公司",
)
# Whole-word suffixes after punctuation became spaces ("Co., Ltd." → "co ltd"). Matching
# whole words keeps "Costco" and "Zinc" intact.
LATIN_SUFFIXES: tuple[tuple[str, ...], ...] = (
    ("co", "ltd"),
    ("ltd",),
    ("limited",),
    ("inc",),
    ("incorporated",),
    ("corp",),
    ("corporation",),
    ("llc",),
    ("gmbh",),
    ("plc",),
    ("company",),
    ("co",),
)
_BRANCH = "分公司"


@lru_cache(maxsize=4096)  # an import asks for each row's key three or four times
def normalize_company_name(name: str) -> str:
    """Key for comparing company names (METHOD.md §7.3: 有限公司 vs 股份有限公司, punctuation,
    full-width characters, case).

    1. symbols such as ™ ® © are dropped, then NFKC (full-width → half-width) and casefold;
    2. every character that is not a letter, digit or combining mark (ASCII and Chinese
       punctuation such as full-width brackets, 《》·、 and the ideographic full stop)
       separates words;
    3. legal-form suffixes are dropped from the end, repeatedly (Chinese ones also when glued
       to the name); a name is never reduced to nothing, and a branch (…分公司) keeps its
       suffix because a branch is its own account;
    4. the remaining words are joined without spaces.
    Qualifiers such as (中国) and 集团 stay: "ACME(中国)" is not "ACME".
    """
    text = "".join(" " if unicodedata.category(char) == "So" else char for char in name)
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(char if unicodedata.category(char)[0] in "LNM" else " " for char in text)
    words = text.split()
    while True:
        shorter = _without_suffix(words)
        if shorter is None or not "".join(shorter):
            return "".join(words)
        words = shorter


def _without_suffix(words: list[str]) -> list[str] | None:
    """`words` minus one trailing legal-form suffix; None when there is none."""
    for suffix in LATIN_SUFFIXES:
        if len(words) > len(suffix) and tuple(words[-len(suffix) :]) == suffix:
            return words[: -len(suffix)]
    if not words or words[-1].endswith(_BRANCH):
        return None
    last = words[-1]
    for chinese_suffix in CHINESE_SUFFIXES:
        if last.endswith(chinese_suffix):
            rest = last[: -len(chinese_suffix)]
            return words[:-1] + ([rest] if rest else [])
    return None
