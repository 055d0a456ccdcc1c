import pytest

from briefing.models.organisations import Organisation, RoleCode
from briefing.organisations import roles

pytestmark = pytest.mark.django_db


def org(code):
    return Organisation.objects.get(code=code)


def test_provincial_role_does_not_fit_a_ministry_unit():
    errors = roles.role_errors([RoleCode.PROVINCE_OFFICER], org("CUC-THH"))
    assert len(errors) == 1
    assert "không phù hợp" in str(errors[0])


def test_unit_role_does_not_fit_a_province():
    assert roles.role_errors([RoleCode.UNIT_LEADER], org("T63-37"))


def test_coordinator_must_belong_to_the_ministry_office():
    assert roles.role_errors([RoleCode.OFFICE_COORDINATOR], org("CUC-VT"))
    assert roles.role_errors([RoleCode.OFFICE_COORDINATOR], org("VPB")) == []


def test_it_agencies_of_ministries_hold_provincial_roles():
    assert roles.role_errors([RoleCode.PROVINCE_OFFICER], org("BO-TC")) == []


def test_roles_need_an_organisation_except_system_admin():
    assert roles.role_errors([RoleCode.UNIT_OFFICER], None)
    assert roles.role_errors([RoleCode.SYSTEM_ADMIN], None) == []


def test_inactive_user_holds_no_role(user_for_role):
    user = user_for_role(RoleCode.UNIT_LEADER)
    user.is_active = False
    assert roles.role_codes(user) == frozenset()


def test_role_codes_are_read_once_per_user_object(user_for_role, django_assert_num_queries):
    user = user_for_role(RoleCode.UNIT_LEADER)
    with django_assert_num_queries(1):
        assert roles.has_role(user, RoleCode.UNIT_LEADER)
        assert not roles.is_system_admin(user)
        roles.navigation(user)


def test_every_role_code_has_a_row():
    from briefing.models.organisations import Role
    from briefing.organisations.reference_data import ROLE_CODES

    assert sorted(ROLE_CODES) == sorted(RoleCode.values)
    assert set(Role.objects.values_list("code", flat=True)) == set(RoleCode.values)
