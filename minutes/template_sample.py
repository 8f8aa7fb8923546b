"""A small memorandum with one of everything a template can show: what an uploaded template is
rendered against before it is accepted (minutes.template.check_template), so that a name it
misspells or a loop that fails shows at upload, not at the next build."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from minutes import record as rec
from minutes.wording import N_

_OPENED = datetime(2024, 9, 20, 9, 0, tzinfo=UTC)


def sample_memorandum() -> rec.Memorandum:
    chair = rec.Person("Chair Person", "Sample City", "Mayor")
    secretary = rec.Person("Secretary Person", "Secretariat", "Secretary General")
    delegate = rec.Person("Delegate Person", "Other City", "Deputy Mayor")
    everyone = (delegate,)
    poll = rec.PollRecord(
        round_label=N_("Vote"), counts=(rec.ChoiceCount(N_("Yes"), 1), rec.ChoiceCount(N_("No"), 0)), cast=1,
        abstentions=0, eligible=2, threshold_text=N_("Required: %(rule)s. Abstentions are not votes cast.",
                                                     rule=N_("simple majority of the votes cast")),
        outcome="adopted", quorum=rec.Quorum(2, 2, 2, True), votes=(rec.NamedVote("Other City", N_("Yes"),
                                                                                  delegate.name),),
        taken_at=_OPENED + timedelta(minutes=30), note=N_("The motion was adopted."), ballots=1, exhausted=None)
    motion = rec.MotionRecord(title="Sample motion", text="That the sample be adopted.", kind=N_("main motion"),
                              moved_by=delegate, seconded_by=chair, majority=N_("simple majority of the votes cast"),
                              outcome="adopted", resolution_number="SAMPLE/R1", polls=(poll,),
                              note=N_("The motion was adopted."))
    item = rec.ItemRecord(
        title="Sample item", number="Agenda 1", kind="motion", notes="First paragraph.\n\nSecond paragraph.",
        motions=(motion,),
        documents=(rec.DocumentRecord("Sample report", "report.pdf", "application/pdf", 2048, "0" * 64),),
        speakers=(rec.SpeakerRecord(delegate, "speech", "online", _OPENED + timedelta(minutes=5),
                                    _OPENED + timedelta(minutes=7)),
                  rec.SpeakerRecord(delegate, "question", "online", text="A question?", answered=True)))
    closed_item = rec.ItemRecord(title="Sample closed item", number="Agenda 2", motions=(motion,))
    return rec.Memorandum(
        organisation_name="Sample Organisation", logo=None, meeting_title="Sample Meeting",
        meeting_kind=N_("Meeting"), venue="Sample Hall", timezone="Asia/Almaty", opened_at=_OPENED,
        adjourned_at=_OPENED + timedelta(hours=2), chair=chair, secretary=secretary, secretary_general=secretary,
        version=1, status="draft", generated_at=_OPENED + timedelta(hours=3), generated_by=secretary.name,
        attendance=rec.Attendance(members_in_person=(chair,), members_online=everyone, members_absent=everyone,
                                  members_excused=everyone, observer_cities=everyone,
                                  observer_institutions=everyone, corporates=everyone, secretariat=(secretary,),
                                  guests=everyone),
        quorum_at_opening=rec.Quorum(2, 2, 2, True),
        previous_minutes=rec.PreviousMinutes(N_("The memorandum of the previous meeting")),
        sessions=(rec.SessionRecord("Open session", "open", _OPENED, _OPENED + timedelta(hours=1), "Sample Hall",
                                    (item,)),
                  rec.SessionRecord("Closed session", "closed", _OPENED + timedelta(hours=1),
                                    _OPENED + timedelta(hours=2), "Sample Room", (closed_item,))),
        resolutions=(rec.Resolution("SAMPLE/R1", "Sample motion", "That the sample be adopted."),),
        next_host=rec.NextHost("Sample City", "Sample Meeting 2025"),
        audit_head=rec.AuditHead(1, "0" * 64))
