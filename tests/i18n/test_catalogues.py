"""The Belarusian and Russian catalogues: complete, well-formed, compiled."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.i18n import po
from tests.i18n.conftest import LANGUAGES, LOCALE, catalogue

SOURCE = LOCALE.parent
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")
THREE_FORMS = "nplurals=3;"


def _translated(entries: list[po.Entry]) -> dict[tuple[str | None, str], po.Entry]:
    return {e.key: e for e in entries[1:] if not e.fuzzy and all(e.translations)}


def _extract(tmp_path: Path, settings, monkeypatch) -> list[po.Entry]:  # type: ignore[no-untyped-def]
    """Run makemessages over a copy of the source and return the fresh (empty) catalogue."""
    copy = tmp_path / "vigil"
    shutil.copytree(
        SOURCE, copy, ignore=shutil.ignore_patterns("__pycache__", "locale", "static", "*.pyc")
    )
    (copy / "locale").mkdir()
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["be"], domain="django", verbosity=0, no_location=True)
    return po.read(copy / "locale" / "be" / "LC_MESSAGES" / "django.po")


@pytest.fixture(scope="module")
def committed() -> dict[str, list[po.Entry]]:
    return {lang: po.read(catalogue(lang)) for lang in LANGUAGES}


def test_every_marked_string_is_translated_in_belarusian_and_russian(
    tmp_path, settings, monkeypatch, committed
):
    fresh = _extract(tmp_path, settings, monkeypatch)[1:]
    assert len(fresh) > 500  # the extraction saw the whole project
    for lang in LANGUAGES:
        done = _translated(committed[lang])
        missing = [e.msgid for e in fresh if e.key not in done]
        assert not missing, (
            f"{len(missing)} strings lack a {lang} translation (run scripts/i18n update, "
            f"translate, scripts/i18n compile): {missing[:20]}"
        )


def test_catalogues_have_no_fuzzy_or_empty_entries(committed):
    for lang, entries in committed.items():
        bad = [e.msgid for e in entries[1:] if e.fuzzy or not all(e.translations)]
        assert not bad, f"{lang}: {bad[:20]}"


def test_placeholders_match_between_english_and_translation(committed):
    for lang, entries in committed.items():
        for e in entries[1:]:
            wanted = set(PLACEHOLDER.findall(e.msgid + (e.msgid_plural or "")))
            for text in e.translations:
                assert set(PLACEHOLDER.findall(text)) == wanted, (lang, e.msgid, text)


def test_plurals_have_the_three_slavic_forms(committed):
    for lang, entries in committed.items():
        assert THREE_FORMS in entries[0].msgstr.replace(" ", "")
        plurals = [e for e in entries[1:] if e.msgid_plural is not None]
        assert plurals
        for e in plurals:
            assert sorted(e.msgstr_plural) == [0, 1, 2], (lang, e.msgid)


def test_belarusian_is_not_russian(committed):
    be = _translated(committed["be"])
    ru = _translated(committed["ru"])
    same = [k[1] for k in be if k in ru and be[k].msgstr and be[k].msgstr == ru[k].msgstr]
    # Short shared words (Код, Форум, Статус, brand names) may coincide; sentences must not.
    assert not [m for m in same if len(m) > 25], same
    assert len(same) < len(be) // 10


def test_compiled_catalogues_match_the_po_files(committed):
    for lang, entries in committed.items():
        with catalogue(lang, "mo").open("rb") as mo:
            compiled = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
        expected: dict[object, str] = {}
        for e in _translated(entries).values():
            msgid = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
            if e.msgid_plural is None:
                expected[msgid] = e.msgstr
            else:
                expected.update({(msgid, i): s for i, s in e.msgstr_plural.items()})
        compiled = {k: v for k, v in compiled.items() if k != ""}
        assert compiled == expected, f"{lang}: .mo is stale; run scripts/i18n compile"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) not installed")
def test_msgfmt_accepts_the_catalogues():
    for lang in LANGUAGES:
        result = subprocess.run(
            ["msgfmt", "--check", "-o", "/dev/null", str(catalogue(lang))],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
