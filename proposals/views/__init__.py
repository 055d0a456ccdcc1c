"""Views of recommendations, one module per audience: the staff's worklist, a
recommendation's pages, the answer form, the Excel import, the public answers pages and
readers' subscriptions. Each view that takes an id loads it through an access helper
(404 when the user may not see it), calls one service and redirects."""
