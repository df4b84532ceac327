"""Both catalogues ship complete (every string translated, nothing fuzzy), and the UI and API
really switch language."""

import re
from pathlib import Path

import pytest

import wuwei

LOCALE = Path(wuwei.__file__).parent / "locale"


def _entries(path: Path) -> list[tuple[str, list[str], bool]]:
    """(msgid, msgstrs, fuzzy) for every entry but the header."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        msgid, msgstrs, current = "", [], None
        for line in lines:
            if line.startswith("#"):
                continue
            match = re.match(r'^(msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                if current.startswith("msgstr"):
                    msgstrs.append(match.group(2))
                elif current == "msgid":
                    msgid = match.group(2)
            elif line.startswith('"') and current:
                if current.startswith("msgstr"):
                    msgstrs[-1] += line.strip('"')
                elif current == "msgid":
                    msgid += line.strip('"')
        if msgid:
            entries.append((msgid, msgstrs, fuzzy))
    return entries


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_catalogue_is_complete(language):
    entries = _entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(entries) > 200
    untranslated = [msgid for msgid, msgstrs, fuzzy in entries if fuzzy or not all(msgstrs)]
    assert untranslated == []


def test_chinese_catalogue_really_translates():
    entries = dict(
        (m, s) for m, s, _f in _entries(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po")
    )
    assert entries["Accounts"] == ["客户"]
    assert entries["Validate"] == ["认证商机"]


def test_pages_follow_the_chosen_language(org, web):
    client = web(org.rep)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Accounts" in client.get("/accounts/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "新建客户" in client.get("/accounts/").content.decode()


def test_api_errors_follow_accept_language(org, api):
    response = api(org.rep).get("/accounts/999999", **{"Accept-Language": "zh-hans"})
    assert response.json()["detail"] == "未找到。"


def test_catalogues_hold_every_string_of_the_code(tmp_path):
    """Re-extract the messages from a copy of the code: nothing may come out untranslated."""
    import os
    import shutil
    import subprocess
    import sys

    if not shutil.which("xgettext"):
        if os.environ.get("CI") == "true":
            pytest.fail("GNU gettext (xgettext) is missing")
        pytest.skip("GNU gettext (xgettext) is missing: `make messages` installs it")
    package = LOCALE.parent
    copy = tmp_path / "wuwei"
    shutil.copytree(
        package, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "vendor_static")
    )
    (tmp_path / "check_settings.py").write_text(
        f"from wuwei.settings import *  # noqa\nLOCALE_PATHS = [{str(copy / 'locale')!r}]\n"
    )
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "zh_Hans",
            "-l",
            "en",
            "--no-location",
            "--settings=check_settings",
            "-v",
            "0",
        ],
        cwd=copy,
        env=env,
        check=True,
    )
    for language in ("zh_Hans", "en"):
        entries = _entries(copy / "locale" / language / "LC_MESSAGES" / "django.po")
        missing = [m for m, strings, fuzzy in entries if fuzzy or not all(strings)]
        assert missing == [], f"{language}: run makemessages and translate {missing[:10]}"
