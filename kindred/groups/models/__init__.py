"""Groups (capability B). Core models live in `core`; staying in touch, funds and closure in their own modules."""

from .closure import *  # noqa: F403
from .core import *  # noqa: F403
from .funds import *  # noqa: F403
from .stay import *  # noqa: F403
