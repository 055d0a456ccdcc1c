"""The pages of organisations and people, by audience: staff.py (sign-in, the start
page, the workspace, the organisation list, the API token, the health check),
account.py (a person's own account: second factor, sessions), security_log.py (the
log for the office and system administrators, and the refusal page)."""
