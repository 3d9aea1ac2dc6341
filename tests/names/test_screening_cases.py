"""Pairs seen in production screening: real list entries against real judges' names.

The names are public (EU and OFAC lists, Viasna's list of judges); they live in tests only.
"""

import pytest

from vigil.names import OPERATING_THRESHOLD, REVIEW_THRESHOLD, compare

# A different surname with a shared given name, or a sound-alike surname from another
# language, is another person.
NOT_MATCHES = [
    ("Dzmitryi Kurouski", "Dzmitry Siarheevich KARSIUK"),
    ("Tatsiana Shotsik", "SHEVCHUK, Tatiana"),
    ("Alena Balshakova", "Alena Anatolieuna BALDOUSKAYA"),
    ("Siarhei Katser", "AL-QATARI, Sheikh Farooq"),
    ("Ruslan Huryn", "GORRIN, Raul A"),
    ("Alena Tsikhanovich", "LENA"),
    ("Parshin A.Y.", "AL-AMAR ONE-PERSON LLC"),
]
NOT_FOR_REVIEW = [
    ("Anastasiya Achalava", "UNCLE TOLI"),
    ("Piotr Arlou", "COMRADE RAUL"),
    ("Alena Kartavenka", "KOSTENKO, Elena Nikolaevna"),
    ("Mikhail Zubenia", "AL-ZIBIN, Muhsin"),
    ("Liudmila Hrachova", "DANILO GARCIA"),
]
MATCHES = [
    ("Maryna Zapasnik", "Marina Sviataslavauna ZAPASNIK"),
    ("Maksim Filatau", "Maxim Yurevich FILATAU"),
    ("Aliaksei Khlyshchankou", "Aliaksey Anatolevich KHLYSZCZANKAU"),
    ("Viktoryia Shabunia", "Вікторыя Валер’еўна ШАБУНЯ"),
    ("Anastasiya Papko", "Nastassia Paulauna PAPKO"),
    ("Lahunovich A.A.", "Андрэй Аляксандравіч ЛАГУНОВІЧ"),
]


@pytest.mark.parametrize(("judge", "listed"), NOT_MATCHES + NOT_FOR_REVIEW)
def test_compare_keeps_other_surnames_below_the_operating_threshold(judge, listed):
    assert compare(judge, listed).score < OPERATING_THRESHOLD


@pytest.mark.parametrize(("judge", "listed"), NOT_FOR_REVIEW + NOT_MATCHES)
def test_compare_keeps_other_surnames_below_review(judge, listed):
    assert compare(judge, listed).score < REVIEW_THRESHOLD


@pytest.mark.parametrize(("judge", "listed"), MATCHES)
def test_compare_matches_the_listed_judge(judge, listed):
    assert compare(judge, listed).score >= OPERATING_THRESHOLD
