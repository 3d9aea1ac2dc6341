"""Titles of the record's own kinds for the change history (``vigil.core.titles``).

Every kind reads its rows only through ``view``, and borrows a name (an act's victim, a name's
person) only from a record ``view`` let through: a hidden record lends neither name nor page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as noop

from vigil.core.titles import Kind, Title, Titles, View, label_of, owned, plain, register_titles
from vigil.records.models import (
    Act,
    ActCharge,
    Case,
    Counsel,
    Event,
    EventLink,
    Evidence,
    ExternalId,
    Information,
    Intervention,
    Involvement,
    LegalAmendment,
    LegalProvision,
    Organisation,
    OrganisationName,
    Participant,
    Person,
    PersonName,
    Profession,
    Source,
    Statistic,
)

PERSON = label_of(Person)
ORGANISATION = label_of(Organisation)
EVENT = label_of(Event)
ACT = label_of(Act)
SOURCE = label_of(Source)
TERM_LABELS = ("key", "label_en", "label_be", "label_ru")
# A citation names the record it supports first, then its source, shortened to this.
SOURCE_CHARS = 40


def _shortened(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word's end, "…" marking the cut (a
    single word longer than that is cut inside it)."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    words = head.rsplit(" ", 1)[0] if " " in head.strip() else head
    return words.rstrip(" ,;:.-–—") + "…"


def owner_text(message: str) -> Callable[[Any, Title], str]:
    """``message`` ("Name of %(owner)s") translated when the page is drawn."""
    return lambda _row, owner: gettext(message) % {"owner": owner.text}


def _read_acts(view: View, ids: list[str]) -> tuple[Any, Mapping[str, Iterable[Any]]]:
    acts = list(
        view(Act.objects.filter(pk__in=ids))
        .select_related("act_type")
        .only(
            "pk",
            "event_id",
            "victim_person_id",
            "victim_organisation_id",
            "date",
            "date_precision",
            "date_end",
            *(f"act_type__{f}" for f in TERM_LABELS),
        )
    )
    return acts, {
        PERSON: [a.victim_person_id for a in acts],
        ORGANISATION: [a.victim_organisation_id for a in acts],
        EVENT: [a.event_id for a in acts],
    }


def _name_acts(acts: Any, titles: Titles) -> dict[str, Title]:
    """ "Arrest: Testa Fictionalia (10 August 2020)", opening the act on its victim's page (or
    the organisation's, or the event's)."""
    persons, orgs, events = titles(PERSON), titles(ORGANISATION), titles(EVENT)
    found = {}
    for a in acts:
        kind = a.act_type.label() if a.act_type_id else capfirst(str(Act._meta.verbose_name))
        victim = persons.get(str(a.victim_person_id)) or orgs.get(str(a.victim_organisation_id))
        values = {"kind": kind, "date": a.date_display}
        if victim is not None:
            # Punctuation only, the same in every language: no catalogue entry.
            text = "{kind}: {victim} ({date})".format(**values, victim=victim.text)
        else:
            text = "{kind} ({date})".format(**values) if a.date else kind
        if victim is not None and a.victim_person_id:
            url: str | None = f"{victim.url}#act-{a.pk}"
        elif victim is not None:
            url = victim.url
        else:
            event = events.get(str(a.event_id))
            url = event.url if event is not None else None
        found[str(a.pk)] = Title(text, url)
    return found


def _read_information(view: View, ids: list[str]) -> tuple[Any, Mapping[str, Iterable[Any]]]:
    rows = []
    needs: dict[str, list[Any]] = {SOURCE: []}
    for pk, source, type_id, target in view(Information.objects.filter(pk__in=ids)).values_list(
        "pk", "source_id", "target_type_id", "target_id"
    ):
        model = ContentType.objects.get_for_id(type_id).model_class()
        label = label_of(model) if model is not None else ""
        rows.append((pk, source, label, target))
        needs[SOURCE].append(source)
        if label in INFORMATION_TARGETS:
            needs.setdefault(label, []).append(target)
    return rows, needs


def _name_information(rows: Any, titles: Titles) -> dict[str, Title]:
    """ "Fictional court record, on Arrest: Testa Fictionalia (10 August 2020)": the source and
    the record it supports, opening that record's page."""
    sources = titles(SOURCE)
    found = {}
    for pk, source, label, target in rows:
        of = titles(label).get(str(target)) if label in INFORMATION_TARGETS else None
        named = sources.get(str(source))
        if named is not None and of is not None:
            source = _shortened(named.text, SOURCE_CHARS)
            text = gettext("%(target)s, from “%(source)s”") % {"source": source, "target": of.text}
        elif of is not None:
            text = gettext("Source on %(target)s") % {"target": of.text}
        elif named is not None:
            text = named.text
        else:
            continue
        found[str(pk)] = Title(text, of.url if of is not None else None)
    return found


def _read_interventions(view: View, ids: list[str]) -> tuple[Any, Mapping[str, Iterable[Any]]]:
    rows = (
        view(Intervention.objects.filter(pk__in=ids))
        .select_related("intervention_type")
        .only("pk", "title", *(f"intervention_type__{f}" for f in TERM_LABELS))
    )
    return list(rows), {}


def _name_interventions(rows: Any, titles: Titles) -> dict[str, Title]:
    return {
        str(i.pk): Title(
            i.title or i.intervention_type.label(),
            reverse("responses:intervention", args=[i.pk]),
        )
        for i in rows
    }


def _names(model: type[Any], column: str, owner: str) -> Kind:
    """A person's or organisation's name by its own value ("Name: Тэста Фіктыўная"), opening
    the owner's page: a record holds several names, and "Name of …" would not tell them apart.
    The name row passed the policy itself (an alias may be more confidential than its person);
    a hidden owner leaves it unnamed."""

    def read(view: View, ids: list[str]) -> tuple[Any, Mapping[str, Iterable[Any]]]:
        rows = list(view(model.objects.filter(pk__in=ids)).values_list("pk", column, "value"))
        return rows, {owner: [o for _pk, o, _value in rows]}

    def given(names: list[Any]) -> tuple[Any, Mapping[str, Iterable[Any]]]:
        rows = [(n.pk, getattr(n, column), n.value) for n in names]
        return rows, {owner: [o for _pk, o, _value in rows]}

    def name(rows: Any, titles: Titles) -> dict[str, Title]:
        owners = titles(owner)
        found = {}
        for pk, o, value in rows:
            title = owners.get(str(o))
            if title is not None:
                found[str(pk)] = Title(gettext("Name: %(name)s") % {"name": value}, title.url)
        return found

    return Kind(read, name, (owner,), given)


def _page(name: str) -> Callable[[Any], str]:
    return lambda row: reverse(name, args=[row.pk])


# What a citation may support and be named after.
INFORMATION_TARGETS = (
    PERSON,
    ORGANISATION,
    EVENT,
    ACT,
    label_of(Case),
    label_of(Intervention),
    label_of(Statistic),
)


def register() -> None:
    """Name the record's kinds in the change history (the app's ``ready``)."""
    person, org = _page("web:person"), _page("web:organisation")
    event, case = _page("web:event"), _page("web:case")
    register_titles(Person, plain(Person, ("display_name",), lambda p: Title(str(p), person(p))))
    register_titles(
        Organisation,
        plain(Organisation, ("display_name",), lambda o: Title(o.display_name, org(o))),
    )
    register_titles(Event, plain(Event, ("title",), lambda e: Title(e.title, event(e))))
    register_titles(Case, plain(Case, ("title",), lambda c: Title(c.title, case(c))))
    # A source has no page of its own: its title alone.
    register_titles(Source, plain(Source, ("title",), lambda s: Title(s.title)))
    register_titles(Statistic, plain(Statistic, ("subject",), lambda s: Title(s.subject)))
    register_titles(
        LegalProvision,
        plain(
            LegalProvision, ("code", "article", "part", "point"), lambda p: Title(p.short_label())
        ),
    )
    register_titles(PersonName, _names(PersonName, "person_id", PERSON))
    register_titles(OrganisationName, _names(OrganisationName, "organisation_id", ORGANISATION))
    register_titles(Act, Kind(_read_acts, _name_acts, (PERSON, ORGANISATION, EVENT)))
    register_titles(Intervention, Kind(_read_interventions, _name_interventions))
    register_titles(
        Information,
        Kind(_read_information, _name_information, (SOURCE, *INFORMATION_TARGETS)),
    )
    for model, column, owner, message in (
        (Profession, "person_id", Person, noop("Profession of %(owner)s")),
        (ExternalId, "person_id", Person, noop("Identifier of %(owner)s")),
        (EventLink, "from_event_id", Event, noop("Link from %(owner)s")),
        (ActCharge, "act_id", Act, noop("Charge in %(owner)s")),
        (Involvement, "act_id", Act, noop("Perpetrator in %(owner)s")),
        (Counsel, "act_id", Act, noop("Counsel in %(owner)s")),
        (Participant, "act_id", Act, noop("Participant in %(owner)s")),
        (Evidence, "source_id", Source, noop("Evidence file of %(owner)s")),
        (LegalAmendment, "provision_id", LegalProvision, noop("Amendment of %(owner)s")),
    ):
        register_titles(model, owned(model, column, owner, owner_text(message)))
