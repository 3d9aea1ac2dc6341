"""The tables synthetic cases are drawn from: real articles of law, terms, penalties, places.

Weights follow published lists of political prisoners roughly; the places are fictional
(numbered past any real one). Only the law is real, and the law is no fact about anyone.
"""

from __future__ import annotations

# Real articles of the Belarus Criminal Code (law, not facts about anyone), weighted roughly as
# they occur in published lists of political prisoners.
ARTICLES: tuple[tuple[str, str, str, int], ...] = (
    ("342", "", "Organisation and preparation of actions that grossly violate public order", 95),
    ("369", "", "Insulting a government official", 49),
    ("368", "", "Insulting the President of the Republic of Belarus", 36),
    ("364", "", "Violence or threat of violence against an employee of the internal affairs", 24),
    ("130", "", "Incitement to hatred", 23),
    ("293", "2", "Participation in riots", 14),
    ("370", "", "Desecration of state symbols", 13),
    ("339", "2", "Hooliganism committed by a group of persons", 12),
    ("361-1", "", "Creation of an extremist formation, or participation in it", 10),
    ("188", "", "Defamation", 9),
    ("361", "", "Calls for actions aimed at causing harm to the national security", 8),
    ("361-4", "", "Promoting extremist activities", 6),
    ("411", "", "Malicious disobedience to the demands of the administration", 5),
    ("369-1", "", "Discrediting the Republic of Belarus", 4),
    ("357", "", "Conspiracy to seize state power by unconstitutional means", 2),
    ("356", "", "High treason", 2),
)
TERMS: tuple[tuple[int, str, int], ...] = (
    (24, "2 years", 57), (36, "3 years", 53), (18, "1 1/2 years", 37), (30, "2 1/2 years", 28),
    (12, "1 year", 22), (42, "3 1/2 years", 13), (48, "4 years", 6), (60, "5 years", 5),
    (54, "4 1/2 years", 4), (72, "6 years", 3), (84, "7 years", 3), (20, "20 months", 3),
    (66, "5 1/2 years", 2), (120, "10 years", 2), (180, "15 years", 2), (3, "3 months", 2),
)  # fmt: skip
# (detention regime, restriction measure, text as a source would write it, weight)
PENALTIES: tuple[tuple[str | None, str | None, str, int], ...] = (
    ("general_colony", None, "imprisonment in a general-security penal colony", 96),
    (None, "home_confinement", "restricted freedom under home confinement", 73),
    (None, "open_facility", "restricted freedom in an open penal facility", 47),
    ("medium_colony", None, "imprisonment in a medium-security penal colony", 29),
    ("maximum_colony", None, "imprisonment in a maximum-security penal colony", 9),
    ("high_security_prison", None, "imprisonment in a high security prison", 4),
)
# (kind key, Latin label, Cyrillic label, how many) — numbered from 901 up, past any real one.
FACILITIES: tuple[tuple[str, str, str, int], ...] = (
    ("sizo", "Pre-trial detention centre", "Следчы ізалятар", 8),
    ("colony", "Penal colony", "Папраўчая калонія", 22),
    ("prison", "Prison", "Турма", 3),
    ("open", "Open correctional facility", "Папраўчая ўстанова адкрытага тыпу", 20),
)
