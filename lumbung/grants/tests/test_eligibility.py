"""Eligibility rules as data: checked when saved, compiled to one Q over Person."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lumbung.core.tenancy import region_scope
from lumbung.grants.eligibility import rules_clean, rules_q
from lumbung.grants.models import Person

from .bansos_factories import KELURAHAN_A, KELURAHAN_A2, add_person, enable_grants


def test_known_rules_are_kept() -> None:
    rules = [
        {"field": "welfare_decile", "op": "lte", "value": 4},
        {"field": "age", "op": "gte", "value": 60},
        {"field": "sex", "op": "eq", "value": "P"},
        {"field": "kelurahan_code", "op": "in", "value": ["3273011001"]},
    ]
    cleaned = rules_clean(rules, "32.73")
    assert cleaned[3]["value"] == [KELURAHAN_A]


@pytest.mark.parametrize(
    ("rule", "part"),
    [
        ({"field": "income", "op": "lte", "value": 1}, "income"),
        ({"field": "age", "op": "eq", "value": 60}, "eq"),
        ({"field": "welfare_decile", "op": "lte", "value": 11}, "1 to 10"),
        ({"field": "welfare_decile", "op": "lte", "value": True}, "1 to 10"),
        ({"field": "sex", "op": "eq", "value": "X"}, "L or P"),
        ({"field": "kelurahan_code", "op": "in", "value": ["36.71.01.1001"]}, "region"),
        ({"field": "age", "op": "gte"}, "field, an op and a value"),
    ],
)
def test_an_unknown_or_wrong_rule_is_refused_with_a_clear_message(rule, part, english: Any) -> None:
    with pytest.raises(ValueError, match="Rule 1") as refused:
        rules_clean([rule], "32.73")
    assert part in str(refused.value)


def test_the_rules_select_in_the_database(world_a) -> None:
    # given
    world = enable_grants(world_a)
    on = dt.date(2026, 1, 1)
    old_poor = add_person(world, birth_date=dt.date(1965, 1, 1), sex="P", welfare_decile=2)
    add_person(world, birth_date=dt.date(1966, 1, 2), sex="P", welfare_decile=2)  # 59
    add_person(world, birth_date=dt.date(1950, 1, 1), sex="P", welfare_decile=7)
    add_person(world, birth_date=dt.date(1950, 1, 1), sex="L", welfare_decile=1)
    add_person(world, birth_date=dt.date(1950, 1, 1), sex="P")  # no decile
    add_person(
        world,
        birth_date=dt.date(1950, 1, 1),
        sex="P",
        welfare_decile=1,
        kelurahan_code=KELURAHAN_A2,
    )
    rules = rules_clean(
        [
            {"field": "welfare_decile", "op": "lte", "value": 4},
            {"field": "age", "op": "gte", "value": 60},
            {"field": "age", "op": "lte", "value": 61},
            {"field": "sex", "op": "eq", "value": "P"},
            {"field": "kelurahan_code", "op": "in", "value": [KELURAHAN_A]},
        ],
        "32.73",
    )
    # when
    with region_scope(world.region):
        found = list(Person.objects.filter(region=world.region).filter(rules_q(rules, on)))
    # then: 61 on the day, the 59-year-old and the 76-year-olds left out
    assert found == [old_poor]
