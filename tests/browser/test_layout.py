"""The layout in every language at a laptop's and a phone's width: the navigation stays on one
line at 1366 px, nothing overflows at 390 px, and names follow the page's language — in Debian's
Chromium, with screenshots of home, a profile and a list for a person to look at."""

import pytest
from django.utils import translation

from tests.browser.helpers import choose_language, shot, sign_in, sign_in_by_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ("en", "be", "ru")


def _record():
    """The fictional web case (with a Belarusian name) and the seed facts, like the demo."""
    from tests.web.conftest import make_case
    from vigil.core.context import change_context
    from vigil.demo.seed_loader import load_seed_facts_into_record

    with change_context("test", detail="layout"):
        case = make_case()
        load_seed_facts_into_record()
    return case


def _switch(page, base_url: str, language: str) -> None:
    page.goto(base_url + "/")
    choose_language(page, language)
    assert page.get_attribute("html", "lang") == language


def _nav_lines(page) -> float:
    """How many lines the main navigation takes (its height over one link's height)."""
    return page.evaluate(
        """() => {
            const nav = document.querySelector('nav.site-nav > ul');
            const link = nav.querySelector('li');
            return nav.getBoundingClientRect().height / link.getBoundingClientRect().height;
        }"""
    )


def _overflow(page) -> int:
    """How many pixels the page is wider than the viewport (0: no sideways scrolling)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_the_navigation_fits_one_line_at_1366_px_in_every_language(
    documenter, live_server, browser, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    user, password, secret = documenter
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    sign_in(page, live_server.url, user.username, password, secret)
    lines = {}
    for language in LANGUAGES:
        _switch(page, live_server.url, language)
        lines[language] = _nav_lines(page)
    assert all(n < 1.5 for n in lines.values()), lines
    for language in LANGUAGES:
        _switch(page, live_server.url, language)
        # Every destination is still one click away: the rest sit in the "More" menu.
        page.click("nav.site-nav .nav-more summary")
        with translation.override(language):
            assert page.is_visible(
                f"nav.site-nav a:has-text('{translation.gettext('Sanctions gap')}')"
            )


def test_home_a_profile_and_a_list_at_1366_and_390_px_in_every_language(
    documenter, live_server, browser, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    case = _record()
    user = documenter[0]
    # A signed-in session (the navigation test above signs in through the forms).
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    sign_in_by_session(page, live_server.url, user)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for language in LANGUAGES:
            _switch(page, live_server.url, language)
            for name, path in (
                ("home", "/"),
                ("profile", f"/persons/{case.victim.pk}/"),
                ("list", "/persons/"),
            ):
                page.goto(live_server.url + path)
                shot(page, f"layout-{name}-{language}-{width}")
                assert _overflow(page) <= 1, (name, language, width)
            heading = page.goto(live_server.url + f"/persons/{case.victim.pk}/")
            assert heading is not None
            shown = page.inner_text("main h1")
            # The Belarusian page names her in the Belarusian form recorded for her; Russian has
            # none recorded, so the primary name stays.
            assert shown == ("Тэста Фіктыўная" if language == "be" else "Testa Fictionalia")
    page.close()
