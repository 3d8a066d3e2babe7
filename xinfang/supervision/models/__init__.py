"""The supervision app's models, one module per mechanism: supervision items
(items.py), reminders and sweeps (sweeps.py), bulletins (bulletins.py), backlog
campaigns (campaigns.py), case quality review and accountability (reviews.py). What a
unit owes and reports on is the one Obligation of cases (cases/obligations.py)."""

from .sweeps import Reminder, ReminderKind  # noqa: F401
from .bulletins import Bulletin, BulletinLine, BulletinReceipt, BulletinStatus, PeriodKind  # noqa: F401
from .campaigns import AddedHow, Campaign, CampaignCase, CampaignCaseStatus, CampaignStatus, EvidenceKind  # noqa: F401
from .reviews import (  # noqa: F401
    AccountabilityFile, AccountabilityKind, AccountabilityRecord, CaseReview, ReviewGrade, ReviewItem, ReviewRound, ReviewStatus,
)
