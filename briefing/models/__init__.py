"""The models of the briefing app, one module per concern, all under the app label
"briefing" (no table moved when they were split out of one module). Code imports a
model from its own module (`from briefing.models.organisations import Organisation`):
importing this package would pull every concern in and break the one-way imports."""

from briefing.models.api_tokens import ApiIdempotencyKey, ApiScope, ApiToken
from briefing.models.organisations import (
    Organisation,
    OrganisationKind,
    Role,
    RoleCode,
    SecurityEvent,
    SecurityEventKind,
    User,
)
from briefing.models.platform import OutboxMessage, VisitDay
from briefing.models.reports import ReportSnapshot, SnapshotStatus
from briefing.models.sessions import (
    BriefingDocument,
    BriefingForm,
    BriefingSession,
    Conclusion,
    FollowUpTask,
    ProgressUpdate,
    TaskReminder,
    TaskStatus,
    briefing_document_path,  # named by migration 0005
)

__all__ = [
    "ApiIdempotencyKey",
    "ApiScope",
    "ApiToken",
    "BriefingDocument",
    "BriefingForm",
    "BriefingSession",
    "Conclusion",
    "FollowUpTask",
    "Organisation",
    "OrganisationKind",
    "OutboxMessage",
    "ProgressUpdate",
    "ReportSnapshot",
    "Role",
    "RoleCode",
    "SecurityEvent",
    "SecurityEventKind",
    "SnapshotStatus",
    "TaskReminder",
    "TaskStatus",
    "User",
    "VisitDay",
    "briefing_document_path",
]
