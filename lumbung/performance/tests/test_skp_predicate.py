"""The predicate matrix of PermenPANRB 6/2022: the regulation's table cell by cell, and the
properties that make it a fair matrix — better ratings never give a worse predicate, bad
behaviour is never outweighed by results, only both ratings above expectation give the top
predicate — checked with hypothesis over every pair of ratings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ..models import Predicate, Rating
from ..skp.predicate import ORDER, predicate_of

ratings = st.sampled_from(list(Rating))
# Worst first, to compare ratings.
RATING_RANK = {Rating.BELOW: 0, Rating.AS_EXPECTED: 1, Rating.ABOVE: 2}


def rank(predicate: Predicate) -> int:
    """0 for the best predicate (sangat baik), 4 for the worst (sangat kurang)."""
    return ORDER.index(predicate)


# The regulation's table, as printed: rows the result rating, columns the behaviour rating
# (di bawah / sesuai / di atas ekspektasi).
TABLE = {
    "above": ("kurang", "baik", "sangat_baik"),
    "as_expected": ("kurang", "baik", "baik"),
    "below": ("sangat_kurang", "butuh_perbaikan", "butuh_perbaikan"),
}


@pytest.mark.parametrize("result", TABLE)
def test_each_cell_is_the_regulations(result: str) -> None:
    got = tuple(predicate_of(result, b) for b in ("below", "as_expected", "above"))
    assert got == TABLE[result]


def test_every_predicate_is_reachable() -> None:
    assert {predicate_of(r, b) for r in Rating for b in Rating} == set(Predicate)


@given(ratings, ratings, ratings, ratings)
def test_better_ratings_never_give_a_worse_predicate(
    r1: Rating, b1: Rating, r2: Rating, b2: Rating
) -> None:
    if RATING_RANK[r1] <= RATING_RANK[r2] and RATING_RANK[b1] <= RATING_RANK[b2]:
        assert rank(predicate_of(r2, b2)) <= rank(predicate_of(r1, b1))


@given(ratings)
def test_behaviour_below_expectation_is_at_best_kurang(result: Rating) -> None:
    assert predicate_of(result, Rating.BELOW) in {Predicate.KURANG, Predicate.SANGAT_KURANG}


@given(ratings, ratings)
def test_only_both_above_expectation_is_sangat_baik(result: Rating, behaviour: Rating) -> None:
    top = predicate_of(result, behaviour) == Predicate.SANGAT_BAIK
    assert top == (result == behaviour == Rating.ABOVE)


@given(ratings)
def test_results_below_expectation_need_improvement_unless_behaviour_fails(
    behaviour: Rating,
) -> None:
    got = predicate_of(Rating.BELOW, behaviour)
    expected = Predicate.SANGAT_KURANG if behaviour == Rating.BELOW else Predicate.BUTUH_PERBAIKAN
    assert got == expected


@given(st.text(max_size=12).filter(lambda t: t not in Rating.values), ratings)
def test_anything_else_is_not_a_rating(text: str, other: Rating) -> None:
    with pytest.raises(ValueError, match="is not a valid Rating"):
        predicate_of(text, other)
    with pytest.raises(ValueError, match="is not a valid Rating"):
        predicate_of(other, text)
