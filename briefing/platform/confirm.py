"""Confirmation before an action that is hard to undo or seen outside the actor's
organisation (sending to the Ministry, approving, rejecting, locking a period).

Works without JavaScript: the action's page (GET, or a POST without the confirmation)
says what will happen and who will see it, and its form posts again with
`confirmed=1`; only that POST acts. The page is templates/includes/confirm.html.
"""

from dataclasses import dataclass, field

CONFIRMED = "confirmed"


def is_confirmed(request) -> bool:
    """Whether the POST carries the confirmation the confirmation page's form sends."""
    return request.method == "POST" and request.POST.get(CONFIRMED) == "1"


@dataclass
class Confirmation:
    """What the confirmation page shows: what happens, who sees it, and its form."""

    happens: list[str]
    audience: list[str]
    button: str
    cancel_url: str
    # The confirming button's name, when the view reads it (e.g. "submit").
    button_name: str = ""
    # The form posts here (the page's own URL when empty).
    action_url: str = ""
    # A form shown above the button (a note), rendered with crispy.
    form: object = None
    # (name, value) pairs carried unchanged, e.g. the values of a report.
    hidden: list[tuple[str, str]] = field(default_factory=list)
    # Other buttons of the same form: (name, label), e.g. "save as a draft instead".
    secondary: list[tuple[str, str]] = field(default_factory=list)
    # Names the action for scripts and tests (data-confirm), whatever the language.
    key: str = ""
    # A red button: the action closes something (a rejection, a lock).
    danger: bool = False
