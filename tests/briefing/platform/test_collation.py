"""Vietnamese alphabetical order of organisation lists, the same on PostgreSQL (ICU) and
on SQLite (make run): Đ after D, ă and â after a, tones after letters."""

import random

import pytest

from briefing.models.organisations import Organisation, OrganisationKind
from briefing.platform.collation import sort_key
from proposals.public_forms import AnswerFilterForm
from tests.factories import OrganisationFactory

# Figures people read: `make test` runs these on SQLite (make run) as well as PostgreSQL.
pytestmark = [pytest.mark.arithmetic, pytest.mark.django_db]

IN_ORDER = [
    "An Giang",
    "Ăn Thử",
    "Ấn Thử",
    "Bà Rịa",
    "Bạc Liêu",
    "Bắc Giang",
    "Dak Lak",
    "Đà Nẵng",
    "Điện Biên",
    "Hà Giang",
    "Hà Nội",
    "Hải Dương",
    "Hậu Giang",
    "Ơn Thử",
    "Ưng Thử",
]


def test_the_python_key_sorts_as_a_vietnamese_dictionary():
    shuffled = random.Random(7).sample(IN_ORDER, len(IN_ORDER))
    assert sorted(shuffled, key=sort_key) == IN_ORDER
    assert sorted(["Hà Nội", "Đà Nẵng"]) == ["Hà Nội", "Đà Nẵng"]  # code points: wrong


def test_the_database_sorts_organisations_the_same_way():
    made = [
        OrganisationFactory(name=name, kind=OrganisationKind.PROVINCE)
        for name in reversed(IN_ORDER)
    ]
    ordered = Organisation.objects.filter(pk__in=[o.pk for o in made]).alphabetical()
    assert [o.name for o in ordered] == IN_ORDER


def test_the_public_filter_lists_each_kind_alphabetically():
    field = AnswerFilterForm().fields["province"]
    # Today's senders, then the former ones (issue #14): each group in order.
    groups = [options for _heading, options in list(field.choices)[1:]]
    for options in groups:
        in_group = [field.queryset.get(pk=value.value) for value, _label in options]
        for kind in (OrganisationKind.CENTRAL_AGENCY, OrganisationKind.PROVINCE):
            names = [o.name for o in in_group if o.kind == kind]
            assert names == sorted(names, key=sort_key)
    listed = [field.queryset.get(pk=value.value) for options in groups for value, _label in options]
    names = [o.name for o in listed]
    assert names.index("Sở Thông tin và Truyền thông Đà Nẵng") < names.index(
        "Sở Thông tin và Truyền thông Hà Nội"
    )
