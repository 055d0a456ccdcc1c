"""The sign-in backend: Django's ModelBackend, reading the signed-in user of every
request with the organisation and the role codes in one query (PostgreSQL)."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection
from django.db.models import Q

from briefing.models.organisations import User
from briefing.organisations.roles import remember_role_codes


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        users = User.objects.select_related("organisation")
        postgres = connection.vendor == "postgresql"
        if postgres:
            users = users.annotate(
                role_code_list=ArrayAgg(
                    "roles__code", filter=Q(roles__isnull=False), distinct=True, default=[]
                )
            )
        try:
            user = users.get(pk=user_id)
        except User.DoesNotExist:
            return None
        if postgres:
            remember_role_codes(user, user.role_code_list)
        return user if self.user_can_authenticate(user) else None
