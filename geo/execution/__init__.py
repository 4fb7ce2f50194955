"""Carrying out the agenda: who does what, and how it is going.

The implementation agenda (:mod:`geo.agenda`) says which partner leads which
activity; this package is about the doing:

- :mod:`.partners` — partner organisations, the activities each leads or
  takes part in, and the rule that a partner account touches only its own;
- :mod:`.updates` — progress updates (status, note, money spent, share done,
  next step, photo): an activity's history and its current state, staleness
  ("geen recente voortgang") and the feed for the programme manager;
- :mod:`.photos` — photos with an update: checked, re-encoded, stripped of
  metadata;
- :mod:`.team` — the year team per plan: members, the points it takes up and
  its meetings;
- :mod:`.export` — the programme as an XLSX workbook, one sheet per plan.

Settings (staleness, photo limits) are in ``data/execution.toml``.
"""
