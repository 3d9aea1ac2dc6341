"""Every page drawn by the base template, saved for a byte-for-byte comparison of two trees.

Fetches, through Django's test client on a benchmark (or demo) database, the home page, the
five lists (plain, sorted, filtered, with invalid filters, page 2, their htmx fragments),
name searches (with a sort and page 2, a miss, one letter; and their fragments), profiles
and the other detail pages, and every other page that extends ``base.html`` and needs no
argument — as each of ``--roles`` (the benchmark's users, sessions past 2FA) in each of
``--languages`` — plus the sign-in page (anonymous) and the code page (signed in, 2FA not
passed). Each answer is written to ``OUT/<role>/<language>/<n>.html`` with its status and
URL in ``OUT/index.tsv``, CSRF tokens and CSP nonces masked (they differ on every request).

    VIGIL_DATA_DIR=DIR/demo python benchmarks/web_pages.py OUT [--roles analyst viewer admin]
    diff -r OUT-before OUT-after && echo identical

Run the same tree twice first: two runs must be identical, or the comparison proves nothing.
Pages are read only, except what reading writes anyway (audit entries of profile views).
"""

from __future__ import annotations

import argparse
import re
import secrets
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

# "staff": an admin with Django's staff flag (the menu's Administration link).
ROLES = ("analyst", "viewer", "admin", "staff")
LANGUAGES = ("en", "be", "ru")
LISTS = {
    "persons": ("-name", "custody=in_custody&date_from=2020-01-01"),
    "perpetrators": ("name", "act_type=sentence"),
    "organisations": ("-name", "date_from=2021-01-01"),
    "cases": ("-title", "act_type=sentence&q=%3Ca+href%3D%22x%22%3E%27%26"),
    "events": ("date", "date_from=2022-01-01&date_to=2022-12-31&needs_review=on"),
}
UNFILTERED_PERSONS = (
    "page=3&sort=-updated",
    "sort=born&page=7",
    "sort=-born",
    "page=999999",
    "page=-2",
    "q=&custody=&page=5",
    "confidentiality=internal",
    "confidentiality=public&page=2",
    "page=2",
    "sort=updated&page=2",
    "sort=-name&page=40",
    "sort=born&page=4000",
    "sort=-updated&page=1000",
    "page=4179",
    "page=4180",
    "sort=-born&page=4179&q=",
    "q=+&page=3",
)
INVALID = "date_from=yesterday&confidentiality=nonsense&act_type=nope&page=x"
# Pages extending base.html that take no argument (what a role may not see answers 403/404,
# drawn by its own template, and is compared too).
PLAIN = (
    "/",
    "/glossary/",
    "/how-many/",
    "/checks/",
    "/search/",
    "/search/?q=a",
    "/alerts/",
    "/alerts/settings/",
    "/risk/",
    "/risk/model/",
    "/risk/links/",
    "/protection/",
    "/protection/funds/",
    "/monitoring/",
    "/campaigns/",
    "/calendar/",
    "/lists/",
    "/merge/",
    "/sanctions/gap/",
    "/sanctions/review/",
    "/responses/",
    "/responses/gap/",
    "/responses/forums/",
    "/record/",
    "/record/arrest/",
    "/record/trial/",
    "/record/person/new/",
    "/record/case/new/",
    "/accounts/sessions/",
    "/accounts/tokens/",
    "/accounts/password/",
    "/accounts/2fa/recovery/",
    "/public/prisoners/",
    "/no-such-page/",
)
TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
HEADER_TOKEN = re.compile(r'("X-CSRFToken"\s*:\s*")[^"]*(")')
NONCE = re.compile(r'(nonce=")[^"]*(")')
ERROR_ID = re.compile(r'(class="error-id">)[^<]*(<)')
# The session list shows when each of the run's sessions signed in.
SIGNED_IN_AT = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC")
TIMED = ("/accounts/sessions/",)


def mask(body: str, url: str = "") -> str:
    """The page without what differs on every request (CSRF tokens, CSP nonces, error ids,
    and the session list's sign-in times)."""
    body = TOKEN.sub(r"\1CSRF\2", body)
    body = HEADER_TOKEN.sub(r"\1CSRF\2", body)
    body = ERROR_ID.sub(r"\1ID\2", body)
    if url in TIMED:
        body = SIGNED_IN_AT.sub("TIME", body)
    return NONCE.sub(r"\1NONCE\2", body)


def picked_filters() -> list[str]:
    """Person-list filters naming a court and a legal provision (values of the form's pickers,
    which are read and validated through the user's restricted querysets), and an unknown one."""
    from vigil.records.models import LegalProvision, Organisation, Term

    court = (
        Organisation.objects.filter(kind_id=Term.pk_for("organisation_kind", "court"))
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    provision = LegalProvision.objects.order_by("pk").values_list("pk", flat=True).first()
    found = ["court=00000000-0000-0000-0000-0000000000aa"]  # no such court: a field error
    if court is not None:
        found.append(f"court={court}")
    if provision is not None:
        found.append(f"provision={provision}&date_from=2021-01-01")
    return found


def signed_in_pages(
    searches: int, plain: bool = True, lists: tuple[str, ...] = tuple(LISTS)
) -> list[tuple[str, dict[str, str]]]:
    """(URL, extra headers) of every page a signed-in user is shown."""
    from vigil.records.models import Case, Event, Involvement, Organisation
    from web_plan import ROTATION, scenario_urls

    urls = scenario_urls("", {**ROTATION, "search": searches, "profile": 6})
    pages: list[tuple[str, dict[str, str]]] = [(u, {}) for u in (PLAIN if plain else PLAIN[:2])]
    fragment = {"HX-Request": "true"}
    for name in lists:
        sort, filters = LISTS[name]
        for query in ("", f"sort={sort}", filters, f"{filters}&sort={sort}", INVALID, "page=2"):
            url = f"/{name}/?{query}" if query else f"/{name}/"
            pages += [(url, {}), (url, fragment)]
    if "persons" in lists:
        for query in picked_filters():
            pages += [(f"/persons/?{query}", {}), (f"/persons/?{query}", fragment)]
        # The whole list's pages and sorts (its count is read apart from its rows), its last
        # page and a page past it, and a level chosen (counted as a filter).
        for query in UNFILTERED_PERSONS:
            pages += [(f"/persons/?{query}", {}), (f"/persons/?{query}", fragment)]
    for url in urls["search"]:
        pages += [(url, {}), (url, fragment)]
    first = urls["search"][0]
    pages += [
        (f"{first}&sort=-updated", {}),
        (f"{first}&page=2", {}),
        ("/persons/?" + urlencode({"q": "Zzyzxqwv Nonexistent"}), {}),
        ("/persons/?q=A", {}),
        ("/search/?" + urlencode({"q": first.split("q=", 1)[1]}), {}),
        (
            "/search/?" + urlencode({"q": "Fictus"}),
            {"HX-Request": "true", "HX-Target": "search-results"},
        ),
    ]
    pages += [(u, {}) for u in urls["profile"]]
    for model, prefix in (
        (Organisation, "organisations"),
        (Case, "cases"),
        (Event, "events"),
    ):
        first_pk = model.objects.order_by("pk").values_list("pk", flat=True).first()
        if first_pk:
            pages.append((f"/{prefix}/{first_pk}/", {}))
    judge = (
        Involvement.objects.filter(perpetrator_person__isnull=False)
        .order_by("pk")
        .values_list("perpetrator_person_id", flat=True)
        .first()
    )
    if judge:
        pages.append((f"/perpetrators/{judge}/", {}))
    return pages


def page_user(role: str) -> Any:
    """The benchmark's user of ``role`` (``staff``: an admin with the staff flag)."""
    from web_plan import bench_user

    if role != "staff":
        return bench_user(role)
    from vigil.accounts.models import User
    from vigil.core.context import change_context

    with change_context("cli", detail="web page comparison user"):
        staff = User.objects.filter(username="bench-staff").first()
        if staff is None:
            staff = User.objects.create_user(
                "bench-staff", password=secrets.token_urlsafe(24), role="admin"
            )
        if not staff.is_staff:
            staff.is_staff = True
            staff.save(update_fields=["is_staff"])
    return staff


def client_for(role: str | None, language: str, *, verified: bool = True) -> Any:
    """A test client in ``language``: signed in as the benchmark's ``role`` (or anonymous)."""
    from django.conf import settings
    from django.test import Client

    from web_plan import verified_session

    client = Client(SERVER_NAME="127.0.0.1")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if role is not None:
        from django.contrib.sessions.backends.db import SessionStore

        from vigil.accounts import sessions

        key = verified_session(page_user(role))
        if not verified:
            store = SessionStore(session_key=key)
            store.pop(sessions.VERIFIED_AT, None)
            store.save()
        client.cookies[settings.SESSION_COOKIE_NAME] = key
    return client


def save(out: Path, folder: str, n: int, url: str, response: Any) -> str:
    path = out / folder / f"{n:03d}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(mask(response.content.decode("utf-8", "replace"), url))
    return f"{folder}/{n:03d}.html\t{response.status_code}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--roles", nargs="+", default=list(ROLES))
    parser.add_argument("--languages", nargs="+", default=list(LANGUAGES))
    parser.add_argument("--searches", type=int, default=20)
    parser.add_argument(
        "--lists-only",
        action="store_true",
        help="of the other pages only the home page and the glossary (a large database)",
    )
    parser.add_argument(
        "--lists", nargs="+", choices=list(LISTS), default=list(LISTS), help="which lists"
    )
    args = parser.parse_args()
    import django

    django.setup()
    from vigil.accounts.sessions import end_all
    from vigil.web.templatetags import vigil_rows  # noqa: F401  (fail early on a broken tree)

    for role in ROLES:  # the session list shows this run's sessions only
        end_all(page_user(role))
    pages = signed_in_pages(args.searches, plain=not args.lists_only, lists=tuple(args.lists))
    index = []
    for language in args.languages:
        anonymous = client_for(None, language)
        for n, url in enumerate(("/accounts/login/", "/public/prisoners/", "/no-such-page/")):
            row = save(args.out, f"anonymous/{language}", n, url, anonymous.get(url))
            index.append(f"{row}\t{url}")
        pending = client_for(ROLES[0], language, verified=False)
        for n, url in enumerate(("/accounts/2fa/", "/accounts/2fa/enrol/")):
            row = save(args.out, f"before-2fa/{language}", n, url, pending.get(url))
            index.append(f"{row}\t{url}")
        for role in args.roles:
            client = client_for(role, language)
            for n, (url, headers) in enumerate(pages):
                response = client.get(url, headers=headers)
                row = save(args.out, f"{role}/{language}", n, url, response)
                index.append(f"{row}\t{url}\t{' '.join(headers)}")
    (args.out / "index.tsv").write_text("\n".join(index) + "\n")
    statuses: dict[str, int] = {}
    for line in index:
        status = line.split("\t")[1]
        statuses[status] = statuses.get(status, 0) + 1
    print(f"web_pages: {len(index)} pages -> {args.out} (statuses {statuses})", file=sys.stderr)


if __name__ == "__main__":
    main()
