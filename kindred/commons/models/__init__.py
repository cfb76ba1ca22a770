"""The commons' models, one module per mechanism."""

from .blocks import Block
from .reach import ReachState, Unsubscribe
from .rules import Rules, RulesAcknowledgement
from .spine import EndReason, Engagement, EngagementRole, Form

__all__ = [
    "Block",
    "EndReason",
    "Engagement",
    "EngagementRole",
    "Form",
    "ReachState",
    "Rules",
    "RulesAcknowledgement",
    "Unsubscribe",
]
