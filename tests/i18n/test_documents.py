"""Printed documents go to UN and sanctions bodies: English unless a caller asks otherwise."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils import translation

REPORT = SimpleNamespace(
    generated=dt.datetime(2026, 1, 2, 3, 4), lists=[], missing_issuers=["EU"], summary=[], rows=[]
)


def _gap_report(**context: object) -> str:
    return render_to_string("sanctions/gap_report.html", {"report": REPORT, **context})


def test_documents_stay_english_when_the_interface_is_belarusian():
    with translation.override("be"):
        html = _gap_report()
    assert "<h1>Sanctions gap report</h1>" in html
    assert '<html lang="en">' in html
    assert "Generated 2 January 2026, 03:04 UTC." in html  # Vigil's formatter, |day_time


def test_a_caller_may_ask_for_a_document_in_russian():
    html = _gap_report(document_language="ru")
    assert "<h1>Отчёт о пробеле в санкциях</h1>" in html
    assert '<html lang="ru">' in html
    assert "Не загружены списки: ЕС." in html
    assert "2 января 2026 г., 03:04" in html  # the genitive month, never Django's "2 Январь"


def test_the_interface_language_is_restored_after_a_document():
    with translation.override("be"):
        _gap_report(document_language="ru")
        assert translation.get_language() == "be"
