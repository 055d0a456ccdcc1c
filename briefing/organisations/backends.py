"""The sign-in backend: Django's ModelBackend, reading the signed-in user of every
request with the organisation and the role codes in one query (PostgreSQL)."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection
from django.db.models import Q

from briefing.models.organisations import User
from briefing.organisations.roles import remember_role_codes


def with_role_codes(queryset, path: str = ""):
    """`queryset` annotated with `role_code_list`, the role codes of its users (`path`:
    where the user is, "created_by__" for a token's maker), on PostgreSQL; pass each
    result's user and that list to remember_role_codes."""
    if connection.vendor != "postgresql":
        return queryset
    return queryset.annotate(
        role_code_list=ArrayAgg(
            f"{path}roles__code",
            filter=Q(**{f"{path}roles__isnull": False}),
            distinct=True,
            default=[],
        )
    )


def remember_annotated_roles(row, user) -> None:
    if user is not None and hasattr(row, "role_code_list"):
        remember_role_codes(user, row.role_code_list)


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = with_role_codes(User.objects.select_related("organisation")).get(pk=user_id)
        except User.DoesNotExist:
            return None
        remember_annotated_roles(user, user)
        return user if self.user_can_authenticate(user) else None
