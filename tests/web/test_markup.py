"""Pages are ready for a strict CSP and readable without JavaScript: no inline code or styles."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db


class MarkupAudit(HTMLParser):
    """Collect what a strict Content-Security-Policy would block, and the page's landmarks."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.tags: set[str] = set()
        self._in_script = False
        self.labels: set[str] = set()
        self.fields: list[str] = []

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append("inline script code")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        self.tags.add(tag)
        if "style" in names:
            self.problems.append(f"style= on <{tag}>")
        if any(name.startswith("on") for name in names):
            self.problems.append(f"inline event handler on <{tag}>")
        if tag == "script":
            # Only a script file served by the app itself: never inline code.
            if not str(names.get("src") or "").startswith("/static/"):
                self.problems.append("an inline <script> element")
            self._in_script = True
        if tag == "style":
            self.problems.append("a <style> element")
        if tag == "label" and names.get("for"):
            self.labels.add(str(names["for"]))
        if tag in {"input", "select", "textarea"} and names.get("type") not in {"hidden", "submit"}:
            self.fields.append(str(names.get("id")))
        for name in ("href", "src", "action"):
            value = names.get(name) or ""
            if value.startswith(("http://", "https://", "//")) and tag != "a":
                self.problems.append(f"third-party {name} on <{tag}>: {value}")


def _audit(html: str) -> MarkupAudit:
    audit = MarkupAudit()
    audit.feed(html)
    return audit


def _pages(fictional_case) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        "/",
        "/persons/",
        "/persons/?q=fictionalia",
        f"/persons/{fictional_case.victim.pk}/",
        f"/persons/{fictional_case.judge.pk}/",
        "/persons/?custody=in_custody&sort=-born",
        "/perpetrators/",
        f"/perpetrators/{fictional_case.judge.pk}/",
        "/organisations/",
        f"/organisations/{fictional_case.sentence.place_id}/",
        "/cases/",
        "/events/",
        f"/events/{fictional_case.event.pk}/",
    ]


@pytest.mark.slow  # ~0.8 s a run on a quiet 2-core machine
def test_pages_have_no_inline_script_style_or_third_party_asset(viewer_client, fictional_case):
    for url in _pages(fictional_case):
        response = viewer_client.get(url)
        assert response.status_code == 200, url
        audit = _audit(response.content.decode())
        assert audit.problems == [], url


def test_login_page_has_no_inline_script_or_style(client, db):
    audit = _audit(client.get("/accounts/login/").content.decode())
    assert audit.problems == []


def test_pages_have_landmarks_and_every_field_has_a_label(viewer_client, fictional_case):
    for url in _pages(fictional_case):
        audit = _audit(viewer_client.get(url).content.decode())
        assert {"header", "nav", "main", "footer"} <= audit.tags, url
        unlabelled = [f for f in audit.fields if f not in audit.labels]
        assert unlabelled == [], url


def test_stylesheet_is_served_from_the_app(viewer_client, db):
    html = viewer_client.get("/").content.decode()
    assert re.search(r'<link rel="stylesheet" href="/static/vigil/vigil[.\w]*\.css">', html)
