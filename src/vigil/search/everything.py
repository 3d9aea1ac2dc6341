"""One search across the record: persons by any spelling, then full text over the rest.

Every hit is cut by the access policy on the record it came from; a quote shows only when
the user may view the quote, its source and the fact it supports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from vigil.policy.access import restrict
from vigil.records.display_names import visible_display_names
from vigil.records.models import (
    Act,
    Event,
    Information,
    Organisation,
    OrganisationName,
    Person,
    Source,
)
from vigil.search.fulltext import Document, matching_documents, query_words
from vigil.search.name_search import find_persons
from vigil.search.snippets import Part, snippet
from vigil.search.sync import catch_up

if TYPE_CHECKING:
    from vigil.accounts.types import User

#: Hits listed per group on the page.
PER_GROUP = 20
#: Longest query read (a longer one is cut, not refused).
MAX_QUERY = 200
#: Where each kind of record is shown, when the page exists (other parts of the UI add them).
PAGES = {
    "records.person": "web:person",
    "records.organisation": "web:organisation",
    "records.event": "web:event",
    "records.source": "web:source",
}
GROUPS = (
    ("persons", _("Persons")),
    ("organisations", _("Organisations")),
    ("events", _("Events")),
    ("acts", _("Acts")),
    ("sources", _("Sources and quotes")),
)


@dataclass(frozen=True)
class Hit:
    """One found record: what to call it, where it is shown, and why it was found."""

    title: str
    url: str | None
    record: Any
    detail: str = ""
    parts: tuple[Part, ...] = ()


@dataclass
class Group:
    """The hits of one kind of record."""

    key: str
    label: Any
    hits: list[Hit] = field(default_factory=list)

    @property
    def shown(self) -> list[Hit]:
        return self.hits[:PER_GROUP]

    @property
    def more(self) -> int:
        return max(0, len(self.hits) - PER_GROUP)


@dataclass
class Results:
    """Everything a query found that the user may view, grouped by kind."""

    query: str
    groups: list[Group]
    current: bool = True

    @property
    def total(self) -> int:
        return sum(len(g.hits) for g in self.groups)

    @property
    def found(self) -> list[Group]:
        return [g for g in self.groups if g.hits]


def page_url(label: str, pk: Any) -> str | None:
    """The page of a record, or None when the UI has no page for its kind yet."""
    name = PAGES.get(label)
    if name is None:
        return None
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


def search_everything(user: User, query: str) -> Results:
    """Persons, organisations, events, acts and sources matching ``query`` the user may view."""
    query = " ".join(query.split())[:MAX_QUERY]
    groups = {key: Group(key, label) for key, label in GROUPS}
    if not query:
        return Results(query, list(groups.values()))
    current = catch_up()
    groups["persons"].hits = _persons(user, query)
    documents: dict[str, list[Document]] = defaultdict(list)
    for doc in matching_documents(query):
        documents[doc.model].append(doc)
    terms = query_words(query)
    groups["organisations"].hits = _organisations(user, documents, terms)
    groups["events"].hits = _events(user, documents["records.event"], terms)
    groups["acts"].hits = _acts(user, documents["records.act"], terms)
    groups["sources"].hits = _sources(user, documents, terms)
    return Results(query, list(groups.values()), current)


def _visible(user: User, model: Any, ids: Iterable[Any], *related: str) -> dict[Any, Any]:
    """The records among ``ids`` the user may view, by id."""
    found = restrict(user, "view", model.objects.filter(pk__in=set(ids)))
    if related:
        found = found.select_related(*related)
    return {obj.pk: obj for obj in found}


def _persons(user: User, query: str) -> list[Hit]:
    found = find_persons(query, user)
    persons = _visible(user, Person, [h.person_id for h in found])
    shown = visible_display_names(user, persons.values())
    hits = []
    for h in found:
        person = persons.get(h.person_id)
        if person is None:
            continue
        title = shown.get(person.pk) or str(person)
        detail = h.form if h.form not in (person.display_name, title) else ""
        hits.append(Hit(title, page_url("records.person", person.pk), person, detail))
    return hits


def _organisations(user: User, documents: dict[str, list[Document]], terms: list[str]) -> list[Hit]:
    named = documents["records.organisationname"]
    names = _visible(user, OrganisationName, [d.object_id for d in named])
    order: dict[Any, Document] = {}
    for doc in documents["records.organisation"]:
        order.setdefault(doc.object_id, doc)
    for doc in named:
        if doc.object_id in names:
            order.setdefault(names[doc.object_id].organisation_id, doc)
    organisations = _visible(user, Organisation, order)
    return [
        Hit(str(org), page_url("records.organisation", pk), org, "", _parts(order[pk], terms))
        for pk in order
        if (org := organisations.get(pk)) is not None
    ]


def _events(user: User, docs: list[Document], terms: list[str]) -> list[Hit]:
    events = _visible(user, Event, [d.object_id for d in docs])
    return [
        Hit(str(e), page_url("records.event", e.pk), e, e.date_display, _parts(d, terms))
        for d in docs
        if (e := events.get(d.object_id)) is not None
    ]


def _acts(user: User, docs: list[Document], terms: list[str]) -> list[Hit]:
    related = ("act_type", "victim_person", "victim_organisation", "event")
    acts = _visible(user, Act, [d.object_id for d in docs], *related)
    hits = []
    for d in docs:
        act = acts.get(d.object_id)
        if act is None:
            continue
        victim = act.victim_person or act.victim_organisation
        title = f"{act.act_type.label()}: {victim}" if victim else act.act_type.label()
        if act.victim_person_id:
            url = page_url("records.person", act.victim_person_id)
        else:
            url = page_url("records.event", act.event_id)
        hits.append(Hit(title, url, act, act.date_display, _parts(d, terms)))
    return hits


def _sources(user: User, documents: dict[str, list[Document]], terms: list[str]) -> list[Hit]:
    source_docs = documents["records.source"]
    quote_docs = documents["records.information"]
    quotes = _visible(user, Information, [d.object_id for d in quote_docs], "source")
    targets = _visible_targets(user, quotes.values())
    sources = _visible(user, Source, [d.object_id for d in source_docs])
    hits = [
        Hit(str(s), page_url("records.source", s.pk), s, s.publisher, _parts(d, terms))
        for d in source_docs
        if (s := sources.get(d.object_id)) is not None
    ]
    # One hit per source and quote: the same words of one source cited for several facts (a
    # person and each of their names) are one thing found, about each of those facts.
    same: dict[tuple[Any, str], tuple[Document, Information, str | None, list[str]]] = {}
    for d in quote_docs:
        info = quotes.get(d.object_id)
        target = targets.get((info.target_type_id, info.target_id)) if info else None
        if info is None or target is None:
            continue
        about, url = _about(target)
        key = (info.source_id, " ".join(info.quote.split()).casefold())
        if key not in same:
            same[key] = (d, info, url, [])
        if about not in same[key][3]:
            same[key][3].append(about)
    for d, info, url, supported in same.values():
        detail = str(_("Quote from this source about: %(target)s")) % {
            "target": "; ".join(supported)
        }
        hits.append(Hit(str(info.source), url, info, detail, _parts(d, terms)))
    return hits


def _about(target: Any) -> tuple[str, str | None]:
    """What a quote supports, in words, and the page that shows it (a name's: its person's)."""
    label = target._meta.label_lower
    if label in ("records.personname", "records.profession"):
        return str(target.person), page_url("records.person", target.person_id)
    if label == "records.actcharge":
        target, label = target.act, "records.act"
    url = page_url(label, target.pk)
    if url is None and label == "records.act" and target.victim_person_id:
        url = page_url("records.person", target.victim_person_id)
    return str(getattr(target, "title", "") or target), url


def _visible_targets(user: User, infos: Iterable[Information]) -> dict[tuple[int, Any], Any]:
    """The facts the quotes support, those the user may view, by (content type, id)."""
    wanted: dict[int, set[Any]] = defaultdict(set)
    for info in infos:
        wanted[info.target_type_id].add(info.target_id)
    found: dict[tuple[int, Any], Any] = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        for pk, obj in _visible(user, model, ids).items():
            found[(type_id, pk)] = obj
    return found


def _parts(doc: Document, terms: list[str]) -> tuple[Part, ...]:
    return tuple(snippet(doc.body, terms))
