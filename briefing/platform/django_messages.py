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
    # More of DRF's, which any API caller can meet (platform/api_errors.py): every error
    # message of the API is in the requested language.
    gettext_noop("Authentication credentials were not provided."),
    gettext_noop("Incorrect authentication credentials."),
    gettext_noop("Invalid token."),
    gettext_noop("Invalid token header. No credentials provided."),
    gettext_noop("Invalid token header. Token string should not contain spaces."),
    gettext_noop("Invalid token header. Token string should not contain invalid characters."),
    gettext_noop('Unsupported media type "{media_type}" in request.'),
    gettext_noop("Could not satisfy the request Accept header."),
    gettext_noop("Malformed request."),
    gettext_noop("Invalid input."),
    gettext_noop("Invalid value."),
    gettext_noop("Invalid page."),
    gettext_noop("A server error occurred."),
    gettext_noop("Request was throttled."),
    gettext_noop("A valid integer is required."),
    gettext_noop("A valid number is required."),
    gettext_noop('"{input}" is not a valid choice.'),
    gettext_noop("This value does not match the required pattern."),
    gettext_noop("String value too large."),
    gettext_noop("Ensure this field has no more than {max_length} characters."),
    gettext_noop("Ensure this field has at least {min_length} characters."),
    gettext_noop("Ensure this field has no more than {max_length} elements."),
    gettext_noop("Ensure this field has at least {min_length} elements."),
    gettext_noop("Ensure this value is greater than or equal to {min_value}."),
    gettext_noop("Ensure this value is less than or equal to {max_value}."),
    gettext_noop('Expected a list of items but got type "{input_type}".'),
    gettext_noop("This dictionary may not be empty."),
    gettext_noop("This selection may not be empty."),
    gettext_noop("Must be a valid UUID."),
    gettext_noop("Surrogate characters are not allowed: U+{code_point:X}."),
    gettext_noop("Datetime has wrong format. Use one of these formats instead: {format}."),
    gettext_noop("Time has wrong format. Use one of these formats instead: {format}."),
]
