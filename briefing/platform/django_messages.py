"""Django's own messages that its Vietnamese catalogue leaves in English, yet our users
can meet (a NUL byte pasted into a field, a tampered hidden field, an expired form).

Listed here only so that `make messages` keeps them in our catalogue, which comes
before Django's (LOCALE_PATHS): their translations are in locale/vi. Never imported.
"""

from django.utils.translation import gettext_noop

MESSAGES = [
    gettext_noop("Null characters are not allowed."),
    gettext_noop("Enter a valid UUID."),
    gettext_noop("Enter a complete value."),
    gettext_noop("“%(pk)s” is not a valid value."),
    gettext_noop("Forbidden"),
    gettext_noop("CSRF verification failed. Request aborted."),
    gettext_noop("That page number is not an integer"),
    gettext_noop("That page number is less than 1"),
    gettext_noop("That page contains no results"),
    # Django REST framework's, which its Vietnamese catalogue leaves in English, met by
    # a program sending a report through the API (indicators.api) with a wrong type.
    gettext_noop("This field may not be null."),
    gettext_noop("Not a valid string."),
    gettext_noop("Must be a valid boolean."),
    gettext_noop('Expected a dictionary of items but got type "{input_type}".'),
    gettext_noop("Invalid data. Expected a dictionary, but got {datatype}."),
]
