"""One stemmer for every place Kindred compares words: directory search and one-to-one matching.

The Snowball English stemmer (snowballstemmer, from PyPI), cached: "voices" and "voice", "walking" and
"walks", "support", "supporting" and "supporters" meet on one stem.
"""

from __future__ import annotations

from functools import lru_cache

import snowballstemmer

_english = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The stem of one lower-case word."""
    return str(_english.stemWord(word))
