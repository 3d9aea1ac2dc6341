import pytest

from vigil.names import given_name_ids, is_given_name


@pytest.mark.parametrize(
    "token",
    [
        "Siarhei",
        "Сяргей",
        "Сергей",
        "Uladzimir",
        "Vladimir",
        "Dzmitry",
        "Zmitser",
        "Aleh",
        "Volha",
        "Maryna",
        "Юрый",
        "Iury",
        "Yauhen",
        "Katsiaryna",
    ],
)
def test_is_given_name_knows_belarusian_and_russian_forms(token):
    assert is_given_name(token)


@pytest.mark.parametrize("token", ["Beraziuk", "Navumau", "Лукашэнка", "Kalinowski", ""])
def test_is_given_name_rejects_surnames(token):
    assert not is_given_name(token)


def test_given_name_ids_link_belarusian_and_russian_forms():
    assert given_name_ids("Uladzimir") == given_name_ids("Владимир")
    assert given_name_ids("Aleh") != given_name_ids("Volha")
