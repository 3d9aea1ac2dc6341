"""Wide tables read row by row on a phone (``.table--stack``): at 390 px a stacked table does
not scroll sideways and every cell shows its column's label, in the page's language; at 1366 px
the same tables keep their header row — in Debian's Chromium, in Belarusian and English. The
record's lists (persons, perpetrators, organisations, cases, events) stack too, and keep their
header on a phone as a line of sort links."""

import datetime as dt
import secrets

import pyotp
import pytest
from django.utils import timezone

from tests.browser.helpers import assert_fits, choose_language, in_language, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ("be", "en")

# Every stacked table of the page: its wrapper's widths, whether its header row shows, and each
# data cell's label as the page shows it (an empty row spanning every column has none).
STACKED = """() => [...document.querySelectorAll('table.table--stack')].map(t => {
  const wrap = t.closest('.table-wrap');
  const head = t.querySelector('thead tr');
  const box = t.tHead.getBoundingClientRect();
  // A header's text without its sort mark (hidden from screen readers, not part of its name).
  const headers = [...head.children].map(h => {
    const name = h.cloneNode(true);
    name.querySelectorAll('[aria-hidden="true"]').forEach(e => e.remove());
    return name.textContent.trim();
  });
  const table = t.getBoundingClientRect();
  const cells = [...t.querySelectorAll('tbody tr')].flatMap(tr => [...tr.children].map(
    (cell, i) => ({cell, i}))).filter(({cell}) => cell.colSpan < headers.length);
  return {
    scroll: wrap ? wrap.scrollWidth : null,
    client: wrap ? wrap.clientWidth : null,
    headerShown: box.width > 1 && box.height > 1,
    list: t.classList.contains('table--list'),
    left: table.left,
    right: table.right,
    headerRight: box.right,
    sortLinks: [...t.tHead.querySelectorAll('a.sort-link')].map(a => {
      const r = a.getBoundingClientRect();
      return {height: r.height, right: r.right, shown: r.width > 1 && r.height > 1};
    }),
    cells: cells.map(({cell, i}) => ({
      tag: cell.tagName.toLowerCase(),
      label: cell.dataset.label ?? null,
      header: headers[i],
      shown: getComputedStyle(cell, '::before').content,
    })),
  };
})"""

# The page is no wider than its window: nothing scrolls sideways.
FITS_WINDOW = "() => document.documentElement.scrollWidth <= innerWidth"

# The buttons and menus inside stacked tables (their height on a phone).
CONTROLS = """() => [...document.querySelectorAll(
  'table.table--stack .button, table.table--stack select')
].map(e => e.getBoundingClientRect().height)"""


@pytest.fixture
def administrator():
    """A fictional administrator with a confirmed TOTP device: (user, password, TOTP secret)."""
    from vigil.accounts.models import Role, TOTPDevice, User

    password = secrets.token_urlsafe(16)
    user = User.objects.create_user("fictional-administrator", "", password, role=Role.ADMIN)
    device = TOTPDevice.objects.create(
        user=user, secret=pyotp.random_base32(32), confirmed_at=timezone.now()
    )
    return user, password, device.secret


def _record(user) -> dict[str, str]:
    """The fictional web case, the seed facts (interventions, perpetrators, courts) and a
    fictional protection case with actions and a grant; the pages to read, by name."""
    from tests.web.conftest import make_case
    from vigil.core.context import change_context
    from vigil.demo.seed_loader import load_seed_facts_into_record
    from vigil.protection.cases import add_action, open_case
    from vigil.protection.funds import create_fund, record_grant
    from vigil.protection.models import ActionKind, GrantPurpose
    from vigil.records.models import Case

    with change_context("test", detail="stacked tables"):
        case = make_case()
        Case.objects.create(title="Fictional case", is_synthetic=True)  # for the cases list
        load_seed_facts_into_record()
        protection = open_case(user, beneficiary_name="Fictionalia Abaronenka", synthetic=True)
        today = dt.date.today()
        add_action(user, protection, kind=ActionKind.LEGAL_AID, due=today, note="Fictional.")
        add_action(user, protection, kind=ActionKind.DIGITAL_SECURITY, due=today)
        fund = create_fund(user, name="Fictional defence fund", synthetic=True)
        record_grant(
            user, fund, amount="1500.00", date=today, case=protection,
            purpose=GrantPurpose.LEGAL_FEES,
        )  # fmt: skip
    return {
        "interventions": "/responses/",
        "home-recent-changes": "/",
        "response-gap": "/responses/gap/",
        "protection-board": "/protection/",
        "protection-case": f"/protection/cases/{protection.pk}/",
        "protection-fund": f"/protection/funds/{fund.pk}/",
        "perpetrator": f"/perpetrators/{case.judge.pk}/",
        "person": f"/persons/{case.victim.pk}/",
        "person-perpetrator": f"/persons/{case.judge.pk}/",
        "organisation": f"/organisations/{case.sentence.place.pk}/",
        "sanctions-gap": "/sanctions/gap/",
        "persons-list": "/persons/",
        "perpetrators-list": "/perpetrators/",
        "organisations-list": "/organisations/",
        "cases-list": "/cases/",
        "events-list": "/events/",
    }


def _tables(page) -> list[dict]:
    return page.evaluate(STACKED)


def test_wide_tables_read_row_by_row_at_390_px_and_keep_their_header_at_1366_px(
    administrator, live_server, browser, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    user, password, secret = administrator
    pages = _record(user)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    # One sign-in: a second one within the same 30-second step is a TOTP replay, refused.
    sign_in(page, live_server.url, user.username, password, secret)
    for language in LANGUAGES:
        choose_language(page, language)
        assert page.get_attribute("html", "lang") == language
        for width in (390, 1366):
            page.set_viewport_size({"width": width, "height": 844 if width == 390 else 900})
            for name, path in pages.items():
                page.goto(live_server.url + path)
                shot(page, f"stacked-{name}-{language}-{width}")
                tables = _tables(page)
                where = (name, language, width)
                assert tables, where
                assert any(t["cells"] for t in tables), where  # rows to read, not only headers
                if width == 390:
                    assert_fits(page, f"{name} ({language})")
                    assert page.evaluate(FITS_WINDOW), where
                    for t in tables:
                        assert t["scroll"] <= t["client"] + 1, (where, t["scroll"], t["client"])
                        # The table's own box lies inside the window: nothing to scroll to.
                        assert 0 <= t["left"] and t["right"] <= 390 + 0.5, (where, t)
                        if t["list"]:
                            # A list keeps its header as a line of sort links, on screen,
                            # finger-sized, inside the window.
                            assert t["headerShown"] and t["sortLinks"], where
                            assert t["headerRight"] <= 390 + 0.5, (where, t["headerRight"])
                            for link in t["sortLinks"]:
                                assert link["shown"] and link["right"] <= 390 + 0.5, (where, link)
                                assert link["height"] >= 40, (where, link)
                        else:
                            assert not t["headerShown"], where
                        for cell in t["cells"]:
                            if cell["tag"] == "th":  # the row's own heading, shown first
                                continue
                            # Labelled by its column's header, and the label is on screen.
                            assert cell["label"] and cell["label"] == cell["header"], (where, cell)
                            assert cell["shown"] not in ("none", "normal", ""), (where, cell)
                    assert all(h >= 40 for h in page.evaluate(CONTROLS)), where
                else:
                    for t in tables:
                        assert t["headerShown"], where
                        # On a desktop the cells carry no label of their own.
                        assert all(c["shown"] in ("none", "normal") for c in t["cells"]), where
            page.set_viewport_size({"width": 390, "height": 844})
        # The labels are the page's language, not the source strings: the interventions list
        # names its first column "Date" in the catalogue of the page's language.
        page.goto(live_server.url + pages["interventions"])
        first = _tables(page)[0]["cells"][0]
        assert first["label"] == in_language(language, "Date"), first
    page.close()
