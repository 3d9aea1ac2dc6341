"""The Chromium the browser tests drive: the address bar's WebUI popups are not loaded, and
Playwright's own list of disabled features is kept beside ours (``chromium-features`` merges
the lists: Chromium reads only the last --disable-features it is given)."""

import pytest

from tests.browser.helpers import chromium

pytestmark = [pytest.mark.browser]


def test_one_list_of_disabled_features_holds_playwrights_and_ours_and_no_omnibox_popup():
    with chromium() as browser:
        page = browser.new_page()
        page.goto("chrome://version")
        given = page.inner_text("#command_line").split()
        switch = "--disable-features="
        lists = [s.removeprefix(switch).split(",") for s in given if s.startswith(switch)]
        assert len(lists) == 1, lists
        assert {"WebUIOmniboxPopup", "WebUIOmniboxAimPopup"} <= set(lists[0])
        # Playwright's own (about sixteen: PaintHolding, HttpsUpgrades, …) are still there.
        assert len(lists[0]) > 2, lists
        session = browser.new_browser_cdp_session()
        browser.new_context().new_page()  # a second window
        targets = session.send("Target.getTargets", {"filter": [{}]})["targetInfos"]
        assert not [t["url"] for t in targets if "omnibox" in t["url"]]
