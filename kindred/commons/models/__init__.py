"""The commons' models, one module per mechanism."""

from .blocks import Block
from .reach import ReachState, Unsubscribe

__all__ = ["Block", "ReachState", "Unsubscribe"]
