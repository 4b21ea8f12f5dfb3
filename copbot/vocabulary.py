"""The words of the CoP program (seeds 000, 001, 004), as enums.

Stored as their string values so that the database stays readable and
PostgreSQL needs no enum types to migrate.
"""

from __future__ import annotations

from enum import StrEnum


class Labelled(StrEnum):
    """A StrEnum whose members carry a human label (the second tuple item)."""

    def __new__(cls, value: str, label: str) -> Labelled:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    label: str

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]


class SchoolLevel(Labelled):
    ELEMENTARY = "es", "Elementary school"
    MIDDLE = "ms", "Middle school"
    HIGH = "hs", "High school"
    MIXED = "mixed", "Mixed levels"


class CopScope(Labelled):
    INTRA_DISTRICT = "intra_district", "Intra-district"
    INTER_DISTRICT = "inter_district", "Inter-district"


class StageOfDevelopment(Labelled):
    POTENTIAL = "potential", "Potential"
    COALESCING = "coalescing", "Coalescing"
    MATURING = "maturing", "Maturing"
    STEWARDSHIP = "stewardship", "Stewardship"
    TRANSFORMATION = "transformation", "Transformation"


class SupportType(Labelled):
    FOCUS = "focus", "Focus school"
    OTHER_SUPPORT = "other_support", "Other Support school"


class Role(Labelled):
    IMPLEMENTING_TEACHER = "implementing_teacher", "Implementing teacher"
    OBSERVER = "observer", "Observer"
    NOTE_TAKER = "note_taker", "Note taker"
    SITE_DECISION_MAKER = "site_decision_maker", "Site decision maker"
    FACILITATOR = "facilitator", "Facilitator"


class Stage(Labelled):
    """Where a PDSA cycle stands. ``closed`` follows a recorded Act decision."""

    PLAN = "plan", "Plan"
    DO = "do", "Do"
    STUDY = "study", "Study"
    ACT = "act", "Act"
    CLOSED = "closed", "Closed"


class DoMeetingKind(Labelled):
    GAME_PLAN = "game_plan", "Game plan"
    MID_STREAM = "mid_stream", "Mid-stream status check"
    END_OF_CYCLE = "end_of_cycle", "End-of-cycle data organisation"


class EvidenceFocus(Labelled):
    ADULT_PRACTICE = "adult_practice", "Adult practice"
    STUDENT_IMPACT = "student_impact", "Student impact"


class EvidenceKind(Labelled):
    ARTIFACT = "artifact", "Artifact"
    OBSERVATION = "observation", "Observation"
    INTERVENTION_RECORD = "intervention_record", "Intervention record"
    ASSESSMENT_DATA = "assessment_data", "Assessment data"
    STUDENT_WORK = "student_work", "Student work"
    INTERVIEW = "interview", "Interview"


class ActDecisionKind(Labelled):
    START = "start", "Start"
    STOP = "stop", "Stop"
    KEEP = "keep", "Keep"
    SCALE = "scale", "Scale"
    ADAPT = "adapt", "Adapt"
    ABANDON = "abandon", "Abandon"


class PredictionResult(Labelled):
    """How a learning question's prediction turned out; ``no_result`` is flagged until resolved."""

    MATCHED = "matched", "Matched"
    PARTLY = "partly", "Partly matched"
    NOT_MATCHED = "not_matched", "Did not match"
    NO_RESULT = "no_result", "No result yet"


class CheckinKind(Labelled):
    REGIONAL_KICKOFF = "regional_kickoff", "Regional kickoff (Aug/Sep)"
    REGIONAL_NOV = "regional_nov", "Regional check-in (Nov)"
    REGIONAL_FEB = "regional_feb", "Regional check-in (Feb)"
    REGIONAL_MAY = "regional_may", "Regional check-in (early May)"
    TEAM = "team", "Check-in with a school team"


class NotificationStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    SKIPPED = "skipped"
    FAILED = "failed"


class ReminderKind(Labelled):
    """Kinds of notification copbot sends; people can mute any DM kind (``/pdsa remind``)."""

    PLAN = "plan", "Plan due at the convening"
    DO_MEETING = "do_meeting", "Do meeting not logged yet"
    STUDY = "study", "Study due at the convening"
    ACT = "act", "Act decision after the convening"
    SSC_REPORT = "ssc_report", "Report to the School Site Council"
    REGIONAL_CHECKIN = "regional_checkin", "Regional facilitators' check-in"
    TEAM_CHECKIN = "team_checkin", "Facilitator check-in with a team"
    BEHIND_DIGEST = "behind_digest", "Teams that are behind (facilitators)"
    WEEKLY_DIGEST = "weekly_digest", "Weekly channel digest"
