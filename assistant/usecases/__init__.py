"""The use cases: one small class per area, one method per thing a user does.

Entry points (API routes, CLI commands, the launcher) only translate: they parse input, call one method
here and shape its result. The wiring root (:mod:`assistant.bootstrap`) builds each with its
collaborators bound once.

* :class:`~.access.Access` — who is asking, and which learner, conversation or brief they may reach.
* :class:`~.reading.Reader` — résumé → profile, job posting → target, typed terms → skills.
* :class:`~.learners.Learners` — résumé, typed skills, limits, held credentials and badges, erasure.
* :class:`~.advising.Advising` — gap, recommendations and routes; what-if; upskilling suggestions.
* :class:`~.conversations.Conversations` — sessions and chat turns with their storage.
* :class:`~.briefs.Briefs` — advisor briefs: write, edit, export.
* :class:`~.accounts.Accounts` — guest sign-up, users, advisor assignments.
* :class:`~.browse.Browse` — the catalog, occupations and counts.
* :class:`~.goals.Goals` — a goal in everyday words → an occupation, a question with options, or "nothing close".
"""
