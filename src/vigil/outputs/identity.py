"""Who the victim is: names, sex, birth date, nationality, professions — each with its sources."""

from __future__ import annotations

from vigil.names.given_names import is_given_name
from vigil.outputs.citing import Citations
from vigil.outputs.document import Run
from vigil.outputs.facts import CaseFacts
from vigil.outputs.phrases import sourced
from vigil.records.custody import Custody
from vigil.records.dates import display_date
from vigil.records.models import Sex

# A claim the record keeps only to mark a source's known error is never restated.
REJECTED_SUFFIX = ": rejected"


def name_runs(facts: CaseFacts, cites: Citations) -> tuple[list[Run], list[Run]]:
    """(family name, first name) read from the recorded name; empty when it cannot be split."""
    from vigil.importers.viasna_values import split_people

    person = facts.person
    if person.name_withheld or not person.display_name.strip():
        return [], []
    parts = split_people(person.display_name, is_given_name=is_given_name)
    infos = _name_infos(facts)
    if len(parts) != 1 or parts[0].surname_only or not parts[0].given_name:
        return [], []
    only = parts[0]
    caveat = f" (read from the recorded name “{person.display_name}”; verify)"
    given = " ".join(p for p in (only.given_name, only.middle) if p)
    return [sourced(only.surname, infos, cites), Run(caveat)], [
        sourced(given, infos, cites),
        Run(caveat),
    ]


def _name_infos(facts: CaseFacts) -> list:
    primary = [infos for name, infos in facts.names if name.is_primary]
    return (primary[0] if primary else []) or facts.person_infos


def spellings(facts: CaseFacts, cites: Citations) -> list[Run]:
    """Every recorded spelling with script and language."""
    runs: list[Run] = []
    for name, infos in facts.names:
        details = ", ".join(x for x in (name.get_script_display(), name.lang) if x)
        sep = "; " if runs else ""
        runs.append(sourced(f"{sep}{name.value} ({details})", infos, cites))
    return runs


def sex_runs(facts: CaseFacts, cites: Citations) -> list[Run]:
    person = facts.person
    if person.sex == Sex.UNKNOWN:
        return []
    return [sourced(person.get_sex_display(), facts.person_infos, cites)]


def birth_runs(facts: CaseFacts, cites: Citations) -> list[Run]:
    person = facts.person
    if person.birth_date is None:
        return []
    text = display_date(person.birth_date, person.birth_date_precision)
    return [
        sourced(f"{text} (known to the {person.birth_date_precision})", facts.person_infos, cites)
    ]


def nationality_runs(facts: CaseFacts, cites: Citations) -> list[Run]:
    code = facts.person.nationality
    return [sourced(f"{code} (ISO 3166 country code)", facts.person_infos, cites)] if code else []


def profession_runs(facts: CaseFacts, cites: Citations) -> list[list[Run]]:
    """Recorded professions, with licence details for lawyers."""
    answers = []
    for prof, infos in facts.professions:
        text = prof.profession.label_en
        extra = [
            f"licence {prof.licence_number}" if prof.licence_number else "",
            f"licence status: {prof.licence_status}" if prof.licence_status else "",
            f"bar: {prof.bar_association}" if prof.bar_association else "",
        ]
        extra_text = ", ".join(e for e in extra if e)
        answers.append([sourced(f"{text} ({extra_text})" if extra_text else text, infos, cites)])
    return answers


def background_runs(facts: CaseFacts, cites: Citations) -> list[list[Run]]:
    """What sources say about the person, quoted (claims kept only as known errors skipped)."""
    answers = []
    for info in facts.person_infos:
        if info.note.endswith(REJECTED_SUFFIX) or not info.quote:
            continue
        answers.append([sourced(f"“{info.quote}”", [info], cites)])
    return answers


def custody_runs(facts: CaseFacts, cites: Citations) -> list[Run]:
    """Custody as Vigil derives it from the recorded acts (never from a status label)."""
    state = facts.custody
    act = next((a for a in facts.acts if a.act.pk == state.act_id), None)
    infos = act.infos if act else []
    since = f" since {display_date(state.since, 'day')}" if state.since else ""
    texts = {
        Custody.IN_CUSTODY: f"In custody{since or ' (start date not recorded)'}",
        Custody.TERM_ENDED: (
            f"Custody unknown: the sentence term ended on {display_date(state.term_ends, 'day')}"
            " and no release is recorded"
        ),
        Custody.RESTRICTED: f"Liberty restricted{since}",
        Custody.NOT_IN_CUSTODY: f"Not in custody{since}",
        Custody.DIED_IN_CUSTODY: "Died in custody",
    }
    if state.status not in texts:
        return []
    runs = [
        sourced(texts[state.status], infos, cites),
        Run(" — derived by Vigil from the acts recorded, not stated by a source as such."),
    ]
    if state.term_ends is not None and not state.term_expired_without_release:
        ends = display_date(state.term_ends, "day")
        runs.append(Run(f" The recorded sentence would end about {ends}."))
    if state.term_expired_without_release:
        runs.append(Run(" No release is recorded: check the current situation."))
    return runs
