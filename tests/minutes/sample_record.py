"""A realistic memorandum record: WeGO EXCOM 2024, Almaty, 20 September 2024.

People, titles, affiliations, sessions and agenda come from the 2024 program
book (/work/shared/data/excom-2024.json), copied here so the tests need no
file outside the repository. The notes, motions and vote results are INVENTED
for the tests (e.g. the host city 2025 elected over three rounds with a
tie-break, Cali admitted 11–0–1); they are not what the meeting decided.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from minutes.builder import DEFAULT_LOGO_PATH
from minutes.record import (
    Attendance,
    ChoiceCount,
    ItemRecord,
    Logo,
    Memorandum,
    MotionRecord,
    NamedVote,
    NextHost,
    Person,
    PollRecord,
    PreviousMinutes,
    Quorum,
    Resolution,
    SessionRecord,
)

ALMATY = ZoneInfo("Asia/Almaty")
SIMPLE_MAJORITY = "simple majority of the votes cast"


def local(hour: int, minute: int = 0, day: int = 20) -> datetime:
    """A wall-clock time in Almaty on the meeting day, stored as UTC like the database does."""
    return datetime(2024, 9, day, hour, minute, tzinfo=ALMATY).astimezone(UTC)


# (member, representative, title) — the twelve EXCOM members, all present.
EXCOM = (
    ("Abu Dhabi", "Omar Al Nuaimi", "Director General, Corporate Affairs"),
    ("Abuja", "Nasir Umar Usman", "Deputy Mayor of Abuja"),
    ("Almaty", "Erbolat Dossaev", "Mayor of Almaty"),
    ("Beyoğlu", "İnan Güney", "Mayor of Beyoğlu"),
    ("Chengdu", "Liu Suman", "Chief Division, International Exchanges Division, Foreign Affairs Office"),
    ("Cuenca", "Gabriela Brito", "Deputy Mayor for Smart and Sustainable Cities"),
    ("Hebron", "Tayseer Hasan", "Mayor of Hebron Municipality"),
    ("Kampala", "Dorothy Kisaka", "Chief Executive Officer, Kampala Capital City Authority"),
    ("Makati", "Mar-Len Abigail S. Binay", "Mayor of Makati"),
    ("São Paulo", "João Lucas Melonio", "International Relations Secretary Advisor, São Paulo City Hall"),
    ("Seberang Perai", "Mohd Ibrahim Md Nor", "City Secretary, Seberang Perai City Council, Penang, Malaysia"),
    ("Seoul", "Hong-seok Koo", "Ambassador for International Relations, Seoul Metropolitan Government"),
)
ONLINE = {"Hebron", "São Paulo"}  # invented: who joined online


def member(city: str) -> Person:
    name, title = next((n, t) for c, n, t in EXCOM if c == city)
    return Person(name=name, affiliation=city, title=title)


OBSERVER_CITIES = (
    Person("Lina Ramirez", "Cali",
           "Director of the International Relations and Cooperation Office, Cali's Mayor's Office"),
    Person("Johnson Arthur Sakaja", "Nairobi", "Governor of Nairobi City County, Nairobi City County Government"),
    Person("Hadijah Mukasa Sengendo", "Nansana Municipal Council",
           "Principal Assistant Town Clerk of the Nansana Municipal Council"),
    Person("Manuel de Araujo", "Quelimane", "Mayor of Quelimane"),
    Person("Hojjat Raisee", "Shiraz", "ICT Organization, Shiraz Municipality"),
    Person("Mohammad Ali Shafiee", "Tehran", "Head of International and Professional Organizations office"),
)
OBSERVER_INSTITUTIONS = (
    Person("Aruna Zhanibek", "CityNet", "Operations Officer, Operations Team, CityNet Secretariat"),
    Person("Raslan Ahmad", "Malaysian Smart Cities Alliance Association (MSCA)",
           "Chairman, Malaysian Smart Cities Alliance Association (MSCA), Malaysia"),
    Person("Seong Dohyeon", "Yonhap News", "Reporter from Yonhap News"),
)
CORPORATES = (
    Person("Yuliya Gavrilovich", "beCloud", "Deputy General Director for Commercial Affairs of beCloud"),
    Person("Sunho Jung", "Dassault Systèmes", "Cities & Public Services at Dassault Systèmes Korea"),
    Person("Madi Saken", "Qala AI", "Qala AI, UrbanTech & Smart City solutions"),
    Person("Angelina Khodotova", "SRPOST",
           "International Project Manager, Strategy & Business Development Division SRPOST Inc."),
    Person("Frank Batungwa Tumusiime", "YOYA Technologies", "Chief Executive Officer, YOYA Technologies"),
)
SECRETARY_GENERAL = Person("Jung Sook Park", "WeGO Secretariat", "Secretary General of WeGO")
CHAIR = member("Seoul")

QUORUM = Quorum(voting_members=12, present=12, required=7, quorate=True)


def named_poll(round_label: str, ballots: dict[str, str], threshold_text: str, outcome: str,
               taken_at: datetime, note: str | None = None) -> PollRecord:
    """A roll-call poll; counts are derived from the ballots so they always agree."""
    yes = sum(choice == "Yes" for choice in ballots.values())
    no = sum(choice == "No" for choice in ballots.values())
    return PollRecord(
        round_label=round_label,
        counts=(ChoiceCount("Yes", yes), ChoiceCount("No", no)),
        cast=yes + no,
        abstentions=len(ballots) - yes - no,
        eligible=len(ballots),
        threshold_text=threshold_text,
        outcome=outcome,  # type: ignore[arg-type]
        quorum=QUORUM,
        votes=tuple(NamedVote(city, choice, member(city).name) for city, choice in ballots.items()),
        taken_at=taken_at,
        note=note,
    )


def ballots(no: tuple[str, ...] = (), abstain: tuple[str, ...] = ()) -> dict[str, str]:
    """Every EXCOM member votes Yes unless listed."""
    return {city: "No" if city in no else "Abstain" if city in abstain else "Yes" for city, _, _ in EXCOM}


def majority_text(cast: int) -> str:
    return (f"Adoption requires a simple majority of the votes cast: more than half of "
            f"{cast}, i.e. {cast // 2 + 1} votes in favour. Abstentions are not counted as votes cast.")


def two_thirds_text(cast: int) -> str:
    needed = -(-2 * cast // 3)
    return (f"Adoption requires two-thirds of the votes cast: at least {needed} of {cast} "
            f"votes in favour. Abstentions are not counted as votes cast.")


def secret_round(label: str, counts: dict[str, int], outcome: str, minute: int,
                 threshold_text: str, note: str | None = None, elected: str | None = None) -> PollRecord:
    cast = sum(counts.values())
    return PollRecord(
        round_label=label,
        counts=tuple(ChoiceCount(choice, votes) for choice, votes in counts.items()),
        cast=cast, abstentions=0, eligible=12, threshold_text=threshold_text,
        outcome=outcome,  # type: ignore[arg-type]
        quorum=QUORUM, elected=elected, taken_at=local(14, minute), note=note,
    )


ELECTION_THRESHOLD = ("A candidate is elected with a majority of the votes cast: 7 of 12. "
                      "After each round the candidate with the fewest votes is eliminated.")

HOST_ELECTION = MotionRecord(
    title="Election of the host city of the EXCOM Meeting 2025",
    text=("That the Executive Committee elect the host city of the EXCOM Meeting 2025 "
          "from among the candidate cities Chengdu, Cuenca, Kampala and Makati."),
    kind="election",
    moved_by=member("Almaty"),
    majority="majority of the votes cast, by successive rounds",
    outcome="elected",
    secret=True,
    resolution_number="EXCOM 2024/R2",
    polls=(
        secret_round("Round 1", {"Makati": 4, "Chengdu": 4, "Kampala": 2, "Cuenca": 2}, "runoff", 32,
                     ELECTION_THRESHOLD,
                     note="No candidate reached 7 votes. Kampala and Cuenca tied for the fewest "
                          "votes; a tie-break round decides which of them is eliminated."),
        secret_round("Tie-break round", {"Kampala": 7, "Cuenca": 5}, "runoff", 36,
                     "The candidate with more votes stays on the ballot.",
                     note="Cuenca is eliminated; Makati, Chengdu and Kampala go to round 2."),
        secret_round("Round 2", {"Makati": 6, "Chengdu": 4, "Kampala": 2}, "runoff", 40,
                     ELECTION_THRESHOLD,
                     note="No candidate reached 7 votes; Kampala, with the fewest votes, is eliminated."),
        secret_round("Round 3", {"Makati": 7, "Chengdu": 5}, "elected", 44, ELECTION_THRESHOLD,
                     elected="Makati"),
    ),
)

OPEN_ITEMS = (
    ItemRecord(
        title="Opening Announcement and Welcome Remarks by Almaty", kind="procedural",
        notes=("The Chair, Hong-seok Koo, opened the meeting at 14:00 and welcomed the members, "
               "observers and partners.\n\n"
               "Erbolat Dossaev, Mayor of Almaty, welcomed the participants on behalf of the host city "
               "and Executive Vice-President of WeGO: «Добро пожаловать в Алматы!» (Welcome to Almaty!)"),
    ),
    ItemRecord(
        title="Introduction of Participants and Overview of the Meeting Schedule", kind="procedural",
        notes=("The Secretary General, Jung Sook Park, introduced the participants and presented the "
               "schedule. Members from São Paulo and Hebron took part online; online participants were "
               "identified by their display names in the form “Full name (affiliation)”."),
    ),
    ItemRecord(title="Group Photo", kind="procedural",
               notes="A group photo of all participants was taken in the Eurasian Mobile Main Hall."),
    ItemRecord(
        number="Agenda 1", title="Review of 2024 WeGO Secretariat Annual Report", kind="report",
        notes=("The Secretary General presented the 2024 Secretariat Annual Report: membership, "
               "the regional offices, capacity-building programmes and the Smart City Solution Guides.\n\n"
               "İnan Güney (Beyoğlu) and Dorothy Kisaka (Kampala) asked about the follow-up of the "
               "2024 training programmes; the Secretariat will circulate a progress note."),
        motions=(MotionRecord(
            title="Receipt of the 2024 Secretariat Annual Report",
            text="That the Executive Committee receive the 2024 WeGO Secretariat Annual Report as presented.",
            kind="main motion", moved_by=member("Beyoğlu"), seconded_by=member("Abuja"),
            majority=SIMPLE_MAJORITY, outcome="adopted", resolution_number="EXCOM 2024/R1",
            polls=(named_poll("Round 1", ballots(), majority_text(12), "adopted", local(14, 25)),),
        ),),
    ),
    ItemRecord(
        number="Agenda 2", title="Approval of Host City of the EXCOM Meeting 2025", kind="host_city",
        notes=("Four member cities had submitted bids: Chengdu, Cuenca, Kampala and Makati. Each "
               "candidate presented its bid for five minutes; the vote was taken by secret ballot."),
        motions=(HOST_ELECTION,),
    ),
    ItemRecord(
        number="Agenda 3",
        title="Approval of New, Withdrawals, Suspension, and Termination of WeGO Membership since EXCOM Meeting 2023",
        kind="membership",
        notes=("The Secretariat reported one application for membership, from Cali (Colombia). "
               "It also reported that the membership welcoming ceremony of Kaohsiung had been "
               "conducted at the 2024 Smart City Summit & Expo. No withdrawal, suspension or "
               "termination was proposed."),
        motions=(MotionRecord(
            title="Admission of Cali (Colombia)",
            text="That the City of Cali, Colombia, be admitted as a member of WeGO with effect from 20 September 2024.",
            kind="main motion", moved_by=member("Cuenca"), seconded_by=member("São Paulo"),
            majority=SIMPLE_MAJORITY, outcome="adopted", resolution_number="EXCOM 2024/R3",
            polls=(named_poll("Round 1", ballots(abstain=("Seoul",)), majority_text(11), "adopted",
                              local(14, 50), note="The Chair abstained."),),
        ),),
    ),
    ItemRecord(
        number="Agenda 4", title="Approval of New WeGO Logo", kind="logo",
        notes="The Secretariat presented the proposed new logo and the brand guidelines.",
        motions=(MotionRecord(
            title="Adoption of the new WeGO logo",
            text="That the new WeGO logo and brand guidelines presented by the Secretariat be adopted.",
            kind="main motion", moved_by=member("Makati"),
            majority=SIMPLE_MAJORITY, outcome="adopted", resolution_number="EXCOM 2024/R4",
            polls=(named_poll("Round 1", ballots(no=("Hebron",), abstain=("Chengdu",)), majority_text(11),
                              "adopted", local(14, 56)),),
        ),),
    ),
)

CLOSED_ITEMS = (
    ItemRecord(
        title="Adoption of the Agenda for WeGO EXCOM 2024 by all present EXCOM Members",
        kind="agenda_adoption", notes="The agenda was adopted as circulated.",
        motions=(MotionRecord(
            title="Adoption of the agenda",
            text="That the agenda of the EXCOM Meeting 2024 be adopted as circulated.",
            kind="main motion", moved_by=None, majority="general consent", outcome="adopted",
            note="Adopted by general consent; no objection was raised.",
        ),),
    ),
    ItemRecord(
        title="Review of Meeting Memorandum of WeGO EXCOM 2023", kind="minutes_approval",
        notes="The memorandum of the EXCOM Meeting 2023 had been circulated to members in advance.",
        motions=(MotionRecord(
            title="Approval of the memorandum of EXCOM 2023",
            text="That the memorandum of the WeGO EXCOM Meeting 2023 be approved as circulated.",
            kind="main motion", moved_by=None, majority="general consent", outcome="adopted",
            note="Approved by general consent without corrections.",
        ),),
    ),
    ItemRecord(
        number="Agenda 5", title="Annual Assessment of WeGO Regional Offices", kind="report",
        notes=("The six regional offices reported on their 2024 work plans.\n\n"
               "The Committee asked the Mediterranean office to submit a revised work plan by December 2024."),
    ),
    ItemRecord(
        number="Agenda 6", title="Review of 2024 Financial Report", kind="report",
        notes="The Secretary General presented the 2024 financial report and the external audit opinion.",
        motions=(MotionRecord(
            title="Acceptance of the 2024 financial report",
            text="That the 2024 financial report and the auditor's opinion be accepted.",
            kind="main motion", moved_by=member("Seberang Perai"),
            majority=SIMPLE_MAJORITY, outcome="adopted", resolution_number="EXCOM 2024/R5",
            polls=(named_poll("Round 1", ballots(), majority_text(12), "adopted", local(15, 40)),),
        ),),
    ),
    ItemRecord(
        number="Agenda 7", title="Upcoming WeGO Activities for 2025", kind="report",
        notes="The Secretariat outlined the 2025 programme, including the General Assembly and the Smart City Awards.",
    ),
    ItemRecord(
        number="Agenda 8", title="Approval of Membership Fee Use for 2025", kind="motion",
        notes="Members discussed the proposed allocation of membership fee income for 2025.",
        motions=(MotionRecord(
            title="Use of membership fees in 2025",
            text=("That membership fee income for 2025 be allocated 60 % to programmes, 25 % to the "
                  "regional offices and 15 % to the reserve fund."),
            kind="main motion", moved_by=member("Abu Dhabi"),
            majority=SIMPLE_MAJORITY, outcome="adopted", resolution_number="EXCOM 2024/R6",
            polls=(named_poll("Round 1", ballots(no=("Abuja", "Kampala"), abstain=("Hebron",)),
                              majority_text(11), "adopted", local(16, 5)),),
        ),),
    ),
    ItemRecord(
        number="Agenda 9", title="Review of Proposed Amendments to WeGO Statutes", kind="statutes_amendment",
        notes="The Secretariat presented amendments to Article 12 (terms of office of EXCOM members).",
        motions=(MotionRecord(
            title="Amendment of Article 12 of the Statutes",
            text=("That Article 12 of the WeGO Statutes be amended to extend the term of EXCOM members "
                  "from two to three years."),
            kind="main motion (amendment of the Statutes)", moved_by=member("Chengdu"),
            majority="two-thirds of the votes cast", outcome="rejected",
            polls=(named_poll("Round 1", ballots(no=("Abuja", "Cuenca", "Kampala", "São Paulo"), abstain=("Seoul",)),
                              two_thirds_text(11), "rejected", local(16, 20)),),
        ),),
    ),
    ItemRecord(title="Closing Remarks by the Chair", kind="procedural",
               notes="The Chair thanked Almaty for its hospitality and the members for their work."),
    ItemRecord(title="EXCOM Meeting Adjourns", kind="procedural",
               notes="There being no further business, the Chair declared the meeting adjourned at 16:30."),
)

RESOLUTIONS = (
    Resolution("EXCOM 2024/R1", "2024 Secretariat Annual Report",
               "The Executive Committee receives the 2024 WeGO Secretariat Annual Report."),
    Resolution("EXCOM 2024/R2", "Host city of the EXCOM Meeting 2025",
               "Makati is elected host city of the EXCOM Meeting 2025."),
    Resolution("EXCOM 2024/R3", "Admission of Cali",
               "The City of Cali, Colombia, is admitted as a member of WeGO."),
    Resolution("EXCOM 2024/R4", "New WeGO logo", "The new WeGO logo and brand guidelines are adopted."),
    Resolution("EXCOM 2024/R5", "2024 financial report",
               "The 2024 financial report and the auditor's opinion are accepted.", closed=True),
    Resolution("EXCOM 2024/R6", "Membership fee use for 2025",
               "Membership fee income for 2025 is allocated 60/25/15 to programmes, regional offices and reserve.",
               closed=True),
)


def sample_record(**changes) -> Memorandum:
    """The EXCOM 2024 memorandum, version 2, draft; pass field=value to vary it."""
    record = Memorandum(
        organisation_name="World Smart Sustainable Cities Organization",
        logo=Logo(DEFAULT_LOGO_PATH.read_bytes(), "image/png"),
        meeting_title="WeGO Executive Committee Meeting 2024",
        meeting_kind="Regular meeting of the Executive Committee",
        venue="Swissotel Wellness Resort Alatau Almaty, Almaty, Kazakhstan",
        timezone="Asia/Almaty",
        opened_at=local(14),
        adjourned_at=local(16, 30),
        chair=CHAIR,
        secretary=SECRETARY_GENERAL,
        secretary_general=SECRETARY_GENERAL,
        version=2,
        status="draft",
        generated_at=local(10, 0, day=23),
        generated_by="WeGO Secretariat",
        attendance=Attendance(
            members_in_person=tuple(member(c) for c, _, _ in EXCOM if c not in ONLINE),
            members_online=tuple(member(c) for c, _, _ in EXCOM if c in ONLINE),
            observer_cities=OBSERVER_CITIES,
            observer_institutions=OBSERVER_INSTITUTIONS,
            corporates=CORPORATES,
            secretariat=(SECRETARY_GENERAL,),
        ),
        quorum_at_opening=QUORUM,
        previous_minutes=PreviousMinutes(
            "The memorandum of the WeGO EXCOM Meeting 2023 was approved as circulated, without corrections.",
            closed=True),
        sessions=(
            SessionRecord("WeGO EXCOM Meeting (Open Session)", "open", local(14), local(15),
                          "Eurasian Mobile Main Hall Venue", OPEN_ITEMS),
            SessionRecord("WeGO EXCOM Meeting (Closed Session)", "closed", local(15), local(16, 30),
                          "Closed session Venue", CLOSED_ITEMS),
        ),
        resolutions=RESOLUTIONS,
        next_host=NextHost("Makati", "the EXCOM Meeting 2025"),
    )
    return replace(record, **changes)


def assembly_record(members: int = 500) -> Memorandum:
    """The sample scaled to an assembly: `members` voting members, all in one named vote."""
    names = ("Алексей Иванов", "Ayşe Yılmaz", "João Gonçalves", "Kim Min-ji", "Amina Diallo")
    people = tuple(Person(f"{names[n % len(names)]} {n:03d}", f"Member City {n:03d}", "Delegate")
                   for n in range(1, members + 1))
    votes = tuple(NamedVote(p.affiliation, ("Yes", "No", "Abstain")[n % 3], p.name)
                  for n, p in enumerate(people))
    yes, no = sum(v.choice == "Yes" for v in votes), sum(v.choice == "No" for v in votes)
    quorum = Quorum(members, members - 50, members // 2 + 1, True)
    poll = PollRecord("Round 1", (ChoiceCount("Yes", yes), ChoiceCount("No", no)), yes + no,
                      members - yes - no, members, majority_text(yes + no), "adopted", quorum, votes,
                      taken_at=local(14, 30))
    motion = MotionRecord("Adoption of the 2025 budget", "That the 2025 budget be adopted.", "main motion",
                          people[0], SIMPLE_MAJORITY, "adopted", resolution_number="GA 2024/R1",
                          polls=(poll,))
    session = SessionRecord("General Assembly (Open Session)", "open", local(14), local(16), "Main Hall",
                            (ItemRecord("Budget 2025", "Agenda 1", "motion", "The budget was presented.",
                                        (motion,)),))
    quarter = members // 10
    attendance = Attendance(
        members_in_person=people[: members - 3 * quarter],
        members_online=people[members - 3 * quarter: members - quarter],
        members_absent=people[members - quarter: members - quarter // 2],
        members_excused=people[members - quarter // 2:],
        secretariat=(SECRETARY_GENERAL,),
    )
    return sample_record(attendance=attendance, quorum_at_opening=quorum, sessions=(session,),
                         resolutions=(Resolution("GA 2024/R1", "Budget 2025", "The 2025 budget is adopted."),))
