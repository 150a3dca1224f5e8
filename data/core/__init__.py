"""The pure core of kring: what a meeting is and how its state follows from its log.

Nothing here touches the store (no SQLAlchemy, no models, no store module) and
nothing here loads before it is needed: the moderator's first frame is drawn
from these modules before the store's libraries load. The store and the
screens call in; the core never calls out (tests/test_architecture.py).

- events:    the kinds of event in a meeting's log (EventKind)
- steps:     a work format's steps as typed values (FormatSteps, FormatStep, Mode)
- timeline:  derive(plan, events, now): position, timers, rounds, from the log
- rounds:    speaking order, turns and shares, the case-bringer, speaking time
- consent:   which notes of a confidential step a case-bringer's consent shares
- noteparse: what a note-taker's typed line means (kind, owner, due date)
- duedate:   due dates as people type them ("vrijdag", "over 2 weken")
- clock:     the injected clock (system, start-up, fake)
- textgate:  the one gate for text, where it enters kring and where it is printed
"""
