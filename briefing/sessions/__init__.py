"""Briefing sessions: the session, its documents (presentations), the chair's
conclusions, the follow-up tasks they give, progress on them and the overdue e-mail."""
