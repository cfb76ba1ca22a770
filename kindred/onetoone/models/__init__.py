"""One-to-one models. Core (connections, schemes, supporters, matching) lives in `core`; practice modules add theirs."""

from .core import *  # noqa: F403
from .practice import *  # noqa: F403
