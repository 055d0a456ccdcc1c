"""Views of indicators, one module per audience; each view that takes an id loads it
through an access helper (404 when the user may not see it), calls one service and
redirects."""
