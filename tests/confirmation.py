"""Posting the actions that ask for confirmation (briefing.platform.confirm) in one step,
as the confirmation page's form does, for tests about what the action then does."""

import re

CONFIRMED = {"confirmed": "1"}


def confirmed(data: dict | None = None) -> dict:
    """The POST data of an action with the confirmation its page adds."""
    return {**(data or {}), **CONFIRMED}


def send_form(client, url: str, data: dict):
    """Post a recommendation form with its send button and, when the form saved a draft
    and sent the user to the confirmation page of "submit", confirm there (with the
    clarification the form carried). Returns the last response."""
    response = client.post(url, data)
    target = response.headers.get("Location", "") if response.status_code == 302 else ""
    match = re.match(r"^/proposals/\d+/do/submit/", target)
    if not match:
        return response
    return client.post(match.group(0), confirmed({"note": data.get("note", "")}))
