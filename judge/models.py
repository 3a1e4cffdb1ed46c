"""The judge app's models, one module per feature; Django finds them all through this module."""

from judge.audit.models import AuditHead, AuditKey, AuditRecord
from judge.ccs.models import ApiToken
from judge.contests.models import Clarification, Contest, ContestParticipant, ContestProblem
from judge.hosts.models import JudgeHost, JudgeJob, QueuedTryout
from judge.ops.models import OpsSample
from judge.similarity.models import SimilarityCheck
from judge.submissions.models import Submission, TenantQuota, TenantUsage, TestResult

__all__ = [
    "ApiToken",
    "AuditHead",
    "AuditKey",
    "AuditRecord",
    "Clarification",
    "Contest",
    "ContestParticipant",
    "ContestProblem",
    "JudgeHost",
    "JudgeJob",
    "QueuedTryout",
    "OpsSample",
    "SimilarityCheck",
    "Submission",
    "TenantQuota",
    "TenantUsage",
    "TestResult",
]
