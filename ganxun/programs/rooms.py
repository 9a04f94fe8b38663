"""Which classroom a trainee sits in at a session — the one rule the trainee's 课表, the check-in
board's per-room 应到 and the projector's count share.

The classroom assignment (``ProgramTrainee.venue``) decides when the session uses that room (as
its main classroom or one of its video sub-classrooms); otherwise — no assignment, or a room the
session does not use — the trainee is expected in the session's main classroom.
"""

from collections.abc import Collection


def room_id(main_venue_id: int | None, sub_venue_ids: Collection[int], assigned_id: int | None):
    """The classroom id a trainee assigned to ``assigned_id`` sits in at this session."""
    if assigned_id is not None and (assigned_id == main_venue_id or assigned_id in sub_venue_ids):
        return assigned_id
    return main_venue_id


def session_room(session, assigned_venue):
    """The ``Venue`` for one session (its ``main_venue`` and prefetched ``sub_venues``)."""
    subs = {v.pk: v for v in session.sub_venues.all()}
    assigned_id = assigned_venue.pk if assigned_venue is not None else None
    chosen = room_id(session.main_venue_id, subs, assigned_id)
    if chosen == session.main_venue_id:
        return session.main_venue
    return subs.get(chosen, assigned_venue)
