"""Who the client is, for the limits on anonymous actions (API, subscriptions, votes).

The address is the socket's, or, behind `NUM_PROXIES` proxies, the one the nearest
proxy appended to X-Forwarded-For: the rest of that header is written by the client
and proves nothing. The limits keep only a one-way hash of it.
"""

import hashlib

from rest_framework.throttling import BaseThrottle


def client_address(request) -> str:
    # The API's throttles identify clients the same way (settings.REST_FRAMEWORK).
    return BaseThrottle().get_ident(request)


def client_hash(request) -> str:
    return hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
