"""`{{ term|label }}` shows a vocabulary term in the active language, English as fallback."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from vigil.records.models import Term
from vigil.records.templatetags.vocab_labels import label
from vigil.records.vocabularies import Term as VocabularyTerm

ARREST = Term(
    id="act_type.arrest",
    vocabulary="act_type",
    key="arrest",
    label_en="Arrest",
    label_ru="Арест",
    label_be="Арышт",
)


@pytest.mark.parametrize(("lang", "shown"), [("en", "Arrest"), ("ru", "Арест"), ("be", "Арышт")])
def test_label_follows_the_active_language(lang, shown):
    with translation.override(lang):
        html = Template("{% load vocab_labels %}{{ term|label }}").render(Context({"term": ARREST}))
    assert html == shown


def test_label_falls_back_to_english_then_to_the_key():
    untranslated = Term(id="x.y", vocabulary="x", key="y", label_en="Search of a home")
    bare = Term(id="x.z", vocabulary="x", key="z", label_en="")
    with translation.override("be"):
        assert label(untranslated) == "Search of a home"
        assert label(bare) == "z"


def test_an_explicit_language_argument_wins():
    with translation.override("en"):
        assert label(ARREST, "be") == "Арышт"
        assert label(ARREST, "ru-RU") == "Арест"
        assert label(ARREST, "de") == "Arrest"


def test_label_accepts_vocabulary_records_and_plain_values():
    record = VocabularyTerm("act_type", "arrest", "1", None, "Arrest", "Арест", "Арышт", True, "t")
    with translation.override("ru"):
        assert label(record) == "Арест"
        assert label(None) == ""
        assert label("as typed") == "as typed"
