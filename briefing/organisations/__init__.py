"""Organisations over time, users, roles and sign-in: who may do what, the start page
of each role, the workspace, the organisation list and the reference data."""
