"""The predicate of a performance evaluation: PermenPANRB 6/2022 places the result rating
and the behaviour rating on a three-by-three matrix (the "kuadran kinerja"). Behaviour below
expectation is misconduct whatever the results; results below expectation need improvement
unless behaviour is below too."""

from __future__ import annotations

from ..models import Predicate, Rating

A, E, B = Rating.ABOVE, Rating.AS_EXPECTED, Rating.BELOW

# (result rating, behaviour rating) -> predicate
MATRIX: dict[tuple[Rating, Rating], Predicate] = {
    (A, A): Predicate.SANGAT_BAIK,
    (A, E): Predicate.BAIK,
    (A, B): Predicate.KURANG,
    (E, A): Predicate.BAIK,
    (E, E): Predicate.BAIK,
    (E, B): Predicate.KURANG,
    (B, A): Predicate.BUTUH_PERBAIKAN,
    (B, E): Predicate.BUTUH_PERBAIKAN,
    (B, B): Predicate.SANGAT_KURANG,
}

# Best first, as the regulation lists them.
ORDER = (
    Predicate.SANGAT_BAIK,
    Predicate.BAIK,
    Predicate.BUTUH_PERBAIKAN,
    Predicate.KURANG,
    Predicate.SANGAT_KURANG,
)


def predicate_of(result: str, behaviour: str) -> Predicate:
    """The predicate of a result rating and a behaviour rating (ValueError if either is
    not one of the three ratings)."""
    return MATRIX[(Rating(result), Rating(behaviour))]
