"""The judge app's models, one module per feature; Django finds them all through this module."""

from judge.audit.models import AuditHead, AuditKey, AuditRecord
from judge.contests.models import Clarification, Contest, ContestParticipant, ContestProblem
from judge.submissions.models import Submission, TenantQuota, TenantUsage, TestResult

__all__ = [
    "AuditHead",
    "AuditKey",
    "AuditRecord",
    "Clarification",
    "Contest",
    "ContestParticipant",
    "ContestProblem",
    "Submission",
    "TenantQuota",
    "TenantUsage",
    "TestResult",
]
