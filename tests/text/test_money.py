from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recueil.text.money import find_amounts, parse_money, split_amounts

NBSP = "\u00a0"
NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("2 750 €", 275_000),
        ("55 000,00", 5_500_000),
        ("1 450 125,00", 145_012_500),
        ("14,24 M€", 1_424_000_000),
        ("634 K€", 63_400_000),
        ("200 k€", 20_000_000),
        ("1,33 Md€", 133_000_000_000),
        ("1,5 M €", 150_000_000),
        ("2 millions d'euros", 200_000_000),
        ("7 millions d’euros", 700_000_000),
        ("- €", 0),
        ("-", 0),
        ("2.500 €", 250_000),
        ("1.250.000 €", 125_000_000),
        ("150 600.00 €", 15_060_000),
        ("0.37 €", 37),
        ("1500€", 150_000),
        ("786 090,70 €", 78_609_070),
        (f"1{NBSP}450{NNBSP}125,00", 145_012_500),
        (f"2{NBSP}750{NBSP}€", 275_000),
        ("3 825,00 €", 382_500),
        ("-26,16 M€", -2_616_000_000),
        ("- 67,09", -6_709),
        ("+141 933,33 €", 14_193_333),
        ("1 500 £", 150_000),
        ("1 500 E", 150_000),
        ("de 511  259 euros", 51_125_900),
        ("5078000", 507_800_000),
        ("1,125 €", 113),
        ("8 603 440 € Inscrits au BP 2025", 860_344_000),
        ("0 000 €", 0),
    ],
)
def test_parse_money(text: str, cents: int) -> None:
    assert parse_money(text) == cents


@pytest.mark.parametrize("text", ["", "abc", "C03-333F02", "Article", "3 801 50 €", "—"])
def test_parse_money_refuses(text: str) -> None:
    assert parse_money(text) is None


def test_find_amounts_in_running_text() -> None:
    text = "pour un montant total de 2 750 €, soit 14,24 M€ et 634 K€ ; 1 500 £ ; 42 voix"
    found = find_amounts(text)
    assert [cents for cents, _, _ in found] == [275_000, 1_424_000_000, 63_400_000, 150_000]
    assert [text[start:end] for _, start, end in found] == ["2 750 €", "14,24 M€", "634 K€", "1 500 £"]


def test_find_amounts_needs_a_currency_mark() -> None:
    assert find_amounts("le 7 juin 2021, 42 voix, article 3, C03-333F02, 6568/9333") == []
    assert find_amounts("3 Etudiants et 2 Elus") == []
    assert find_amounts("1 500 E de plus") == [(150_000, 0, 7)]


def test_find_amounts_signs_and_codes() -> None:
    text = "C02-428G01 : Partenariats transversaux : - 18 000 € ; C02-421F04 : + 2 500 000 €"
    assert [c for c, _, _ in find_amounts(text)] == [-1_800_000, 250_000_000]


def test_find_amounts_refuses_broken_figures() -> None:
    assert find_amounts("7 850 000 €\t1 237 86 €\t6 612 14 €") == [(785_000_000, 0, 11)]


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        ("55 000,00 2 750,00", [5_500_000, 275_000]),
        ("55 000,00 51 600,00 2 750,00 48 850,00", [5_500_000, 5_160_000, 275_000, 4_885_000]),
        ("5078000 2233157", [507_800_000, 223_315_700]),
        ("623 078,00 840 000", [62_307_800, 84_000_000]),
        ("2 233 157", [223_315_700]),
        ("1 000,00 - €", [100_000, 0]),
    ],
)
def test_split_amounts(text: str, amounts: list[int]) -> None:
    assert split_amounts(text) == amounts


@pytest.mark.parametrize("text", ["", "Jeune", "C03-333F02 6568/9333", "Farda -", "2021 Aide"])
def test_split_amounts_refuses_text(text: str) -> None:
    assert split_amounts(text) is None


def french(cents: int, sep: str, decimals: bool) -> str:
    """Format the way the documents do: groups of three, decimal comma."""
    euros, rest = divmod(cents, 100)
    digits = str(euros)
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    text = sep.join(groups)
    return f"{text},{rest:02d}" if decimals or rest else text


separators = st.sampled_from([" ", NBSP, NNBSP])


@given(st.integers(min_value=0, max_value=10**15), separators, st.booleans(), st.booleans())
def test_french_format_round_trips(cents: int, sep: str, decimals: bool, euro: bool) -> None:
    text = french(cents, sep, decimals) + (f"{sep}€" if euro else "")
    assert parse_money(text) == cents
    assert split_amounts(text) == [cents]
    if euro:
        assert find_amounts(f"soit {text}.") == [(cents, 5, 5 + len(text))]


@given(st.integers(min_value=0, max_value=10**12), separators)
def test_negative_amounts(cents: int, sep: str) -> None:
    assert parse_money("-" + french(cents, sep, True) + " €") == -cents


@given(
    st.integers(min_value=0, max_value=99_999),
    st.integers(min_value=0, max_value=99),
    st.sampled_from([("K€", 10**3), ("k€", 10**3), ("M€", 10**6), ("Md€", 10**9)]),
)
def test_scale_suffixes_multiply(whole: int, hundredths: int, suffix: tuple[str, int]) -> None:
    mark, scale = suffix
    text = f"{french(whole * 100 + hundredths, ' ', True)} {mark}"
    expected = Decimal(whole) + Decimal(hundredths) / 100
    cents = (expected * scale * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert parse_money(text) == int(cents)
    assert find_amounts(text) == [(int(cents), 0, len(text))]


@given(st.text())
def test_never_raises(text: str) -> None:
    parse_money(text)
    find_amounts(text)
    split_amounts(text)


@given(st.text(alphabet="0123456789 ,.-€EM£Kkd\u00a0\u202f"))
def test_never_raises_on_number_like_text(text: str) -> None:
    value = parse_money(text)
    assert value is None or isinstance(value, int)
    for cents, start, end in find_amounts(text):
        assert 0 <= start < end <= len(text)
        assert parse_money(text[start:end]) == cents


def test_find_amounts_list_bullets_are_not_signs() -> None:
    text = "comme suit :\n- 5 000 180 € du Département ;\n- - 7 000,00 € sur 2021\n\t- 67,09 €"
    assert [c for c, _, _ in find_amounts(text)] == [500_018_000, -700_000, -6_709]
    assert find_amounts("- 708 658,60 € des")[0] == (70_865_860, 2, 14)
