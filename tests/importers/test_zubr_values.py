"""Reading ZUBR's fields: names, penalties, articles, courts (values as the real file has them)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from vigil.importers.zubr_values import (
    NameForm,
    ZubrValueError,
    court_kind,
    parse_charges,
    parse_name,
    parse_penalty,
    parse_sex,
)


@pytest.mark.parametrize(
    ("text", "form", "display", "key"),
    [
        ("Хітроў Мікалай", NameForm.FULL, "Мікалай Хітроў", "Хітроў Мікалай"),
        ("Малашэнка Вольга Пятроўна", NameForm.FULL, "Вольга Пятроўна Малашэнка",
         "Малашэнка Вольга Пятроўна"),
        ("Скуратовіч А.А.", NameForm.INITIALS, "А.А. Скуратовіч", "Скуратовіч А.А."),
        ("Станчык А. І.", NameForm.INITIALS, "А.І. Станчык", "Станчык А.І."),
        ("Казлоў Д П", NameForm.INITIALS, "Д.П. Казлоў", "Казлоў Д.П."),
        ("Чэраповіч", NameForm.SURNAME, "Чэраповіч", "Чэраповіч"),
        ("БузінаеваАнастасія", NameForm.FULL, "Анастасія Бузінаева", "Бузінаева Анастасія"),
        ("Ждановіч Аляксандр (Маляваныч)", NameForm.FULL, "Аляксандр Ждановіч",
         "Ждановіч Аляксандр"),
    ],
)  # fmt: skip
def test_names_are_split_surname_first_as_zubr_writes_them(text, form, display, key):
    name = parse_name(text, "full_name")
    assert (name.form, name.display, name.key_text) == (form, display, key)


def test_an_aside_in_brackets_is_kept_apart_from_the_name():
    assert parse_name("Шушкевіч Станіслаў (малодшы)", "full_name").note == "малодшы"


@pytest.mark.parametrize("text", ["", "   ", "12345", "(?)"])
def test_a_value_without_a_name_is_refused_naming_the_field(text):
    with pytest.raises(ZubrValueError, match="judge: .* is not a name"):
        parse_name(text, "judge")


@pytest.mark.parametrize(
    ("arrest", "fine", "days", "units", "roubles"),
    [
        ("15 сут.", "", 15, None, None),
        ("", "30 б.в.810,00 руб.", None, Decimal(30), Decimal("810.00")),
        ("", "50 б.в.1 350,00 руб.", None, Decimal(50), Decimal("1350.00")),
        ("", "30 б.в. 810,00 руб.", None, Decimal(30), Decimal("810.00")),
        ("", "20 б.в.", None, Decimal(20), None),
        ("", "270,00 руб.", None, None, Decimal("270.00")),
        ("10 сут.", "30 б.в.810,00 руб.", 10, Decimal(30), Decimal("810.00")),
    ],
)
def test_penalties_read_days_base_units_and_roubles(arrest, fine, days, units, roubles):
    p = parse_penalty(arrest, fine)
    assert (p.arrest_days, p.fine_base_units, p.fine_roubles) == (days, units, roubles)


@pytest.mark.parametrize(
    ("arrest", "fine", "message"),
    [
        ("", "", "both empty"),
        ("a fortnight", "", "arrest: 'a fortnight' is not a number of days"),
        ("", "a lot", "fine: 'a lot' is not a fine"),
    ],
)
def test_an_unreadable_penalty_names_the_field(arrest, fine, message):
    with pytest.raises(ZubrValueError, match=message):
        parse_penalty(arrest, fine)


def test_several_articles_in_one_decision_are_several_charges():
    charges = parse_charges(
        "23.34 ч.1 КаАП – «парушэньне парадку арганізацыі і правядзеньня масавых "
        "мерапрыемстваў», 23.4 КаАП – «непадпарадкаваньне законным патрабаваньням службовай "
        "асобы»"
    )
    assert [(c.article, c.part) for c in charges] == [("23.34", "1"), ("23.4", "")]
    assert charges[1].title == "непадпарадкаваньне законным патрабаваньням службовай асобы"


@pytest.mark.parametrize(
    ("text", "article", "part"),
    [
        ("23.34 ч.2КаАП – «арганізацыя»", "23.34", "2"),
        ("17.10 (нацыская сімволіка)", "17.10", ""),
        ("24.32 КоАП РБ", "24.32", ""),
        ("23.30. КаАП – «парушэньне»", "23.30", ""),
        ("18.1 - «наўмыснае блакаваньне»", "18.1", ""),
    ],
)
def test_articles_written_loosely_still_read(text, article, part):
    (charge,) = parse_charges(text)
    assert (charge.article, charge.part) == (article, part)


def test_an_article_without_a_number_is_refused():
    with pytest.raises(ZubrValueError, match="article: .* does not start with an article"):
        parse_charges("дробнае хуліганства")


def test_sex_and_court_kind():
    assert [parse_sex(v) for v in ("м", "ж", "")] == ["male", "female", "unknown"]
    with pytest.raises(ZubrValueError, match="sex: unknown value 'x'"):
        parse_sex("x")
    assert court_kind("Менск, Савецкі") == "court"
    assert court_kind("Берасьце, адміністратыўная камісія Ленінскага раёну") == "ministry"
