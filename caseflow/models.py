"""Import point for every core model, so metadata is complete wherever it is needed."""

from caseflow.audit.models import CaseEvent
from caseflow.auth.models import User, user_units
from caseflow.cases.models import Case, CaseNumbering, CaseSequence, CaseStatusChange
from caseflow.citizens.models import Citizen, CitizenHandle
from caseflow.eservices.models import EService
from caseflow.messages.models import Attachment, Message
from caseflow.notifications.models import OutboxMail
from caseflow.units.models import Unit
from caseflow.usage.models import UsageEvent

__all__ = [
    "Attachment",
    "Case",
    "CaseEvent",
    "CaseNumbering",
    "CaseSequence",
    "CaseStatusChange",
    "Citizen",
    "CitizenHandle",
    "EService",
    "Message",
    "OutboxMail",
    "Unit",
    "UsageEvent",
    "User",
    "user_units",
]
