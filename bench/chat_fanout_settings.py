"""Settings for bench/chat_fanout.py: the benchmark settings, with the per-person chat limit lifted.

Offered loads of hundreds of messages a second spread over 500 people are far above what one person may send
in normal use (settings.RATE_LIMITS["chat_message"]); the benchmark measures fan-out, not the rate limiter.
KINDRED_BENCH_LAYER=pubsub swaps the channel layer for channels-redis's pub/sub layer, to compare the two.
"""

import os

from bench.settings import *  # noqa: F403

RATE_LIMITS = {**RATE_LIMITS, "chat_message": (1_000_000, 10)}  # noqa: F405

if os.environ.get("KINDRED_BENCH_LAYER") == "pubsub":
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},  # noqa: F405
        }
    }
