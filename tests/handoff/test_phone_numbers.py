"""Call-back numbers (actions/handoff.py): Dutch and international numbers are accepted, nothing else."""
import pytest

from actions.handoff import masked_phone, normalise_phone
from tests.awkward import AWKWARD_STRINGS


@pytest.mark.parametrize("typed, number", [
    ("06 12345678", "+31612345678"),
    ("06-12345678", "+31612345678"),
    ("+31 6 1234 5678", "+31612345678"),
    ("0031 6 12345678", "+31612345678"),
    ("020-7653801", "+31207653801"),
    ("(020) 765 38 01", "+31207653801"),
    ("+32 470 12 34 56", "+32470123456"),
    ("+212 6 12 34 56 78", "+212612345678"),
    ("٠٦١٢٣٤٥٦٧٨", "+31612345678"),            # Arabic-Indic digits
    ("۰۶۱۲۳۴۵۶۷۸", "+31612345678"),            # Persian digits
])
def test_valid_numbers_are_normalised(typed, number):
    assert normalise_phone(typed) == number


@pytest.mark.parametrize("typed", ["", "06", "06 1234", "+31 6 1234", "+31 6 1234 56789", "12345678",
                                   "call me", "06 1234567a", "+0 123 456 789", "0612345678901234567",
                                   *AWKWARD_STRINGS])
def test_anything_else_is_refused(typed):
    assert normalise_phone(typed) is None


def test_the_summary_shows_only_part_of_the_number():
    assert masked_phone("+31612345678") == "+31 … 78"
