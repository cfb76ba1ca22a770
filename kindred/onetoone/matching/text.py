"""TF-IDF over people's own descriptions, built with numpy/scipy (no model downloads)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
from scipy import sparse

from kindred.core.stemming import stem

_WORD = re.compile(r"[a-z][a-z'\-]+")
# Short, common words carry no shared experience.
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "like",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "really",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "i'm",
        "i've",
        "it's",
        "don't",
        "want",
        "get",
        "got",
        "lot",
        "lots",
        "things",
        "thing",
        "time",
        "times",
        "people",
        "someone",
        "something",
        "feel",
        "feeling",
        "felt",
    ]
)


@lru_cache(maxsize=65536)
def tokens(text: str) -> tuple[str, ...]:
    words = [w.strip("'-") for w in _WORD.findall(text.lower())]
    return tuple(stem(w) for w in words if len(w) > 2 and w not in STOP_WORDS)


class Tfidf:
    """Fit on a corpus; transform texts into L2-normalised sparse rows. Cosine similarity is then a dot product."""

    def __init__(self, corpus: Iterable[str]) -> None:
        docs = [tokens(t) for t in corpus]
        vocab: dict[str, int] = {}
        for doc in docs:
            for word in doc:
                vocab.setdefault(word, len(vocab))
        self.vocab = vocab
        df = np.zeros(len(vocab), dtype=np.float64)
        for doc in docs:
            for idx in {vocab[w] for w in doc}:
                df[idx] += 1
        n = max(1, len(docs))
        self.idf = np.log((1 + n) / (1 + df)) + 1.0

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        vocab = self.vocab
        rows: list[int] = []
        cols: list[int] = []
        for r, text in enumerate(texts):
            ids = [vocab[w] for w in tokens(text) if w in vocab]
            rows.extend([r] * len(ids))
            cols.extend(ids)
        # Duplicates (a word used twice) are summed by the COO → CSR conversion: term counts.
        counts = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(texts), len(vocab)), dtype=np.float32
        )
        counts.sum_duplicates()
        if counts.nnz:
            counts.data = ((1.0 + np.log(counts.data)) * self.idf[counts.indices]).astype(np.float32)
        norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.csr_matrix(sparse.diags(1.0 / norms).astype(np.float32) @ counts)

    def shared_words(self, a: str, b: str, limit: int = 3) -> list[str]:
        """The most distinctive words two texts share (stems mapped back to a word one of them used)."""
        first: dict[str, str] = {}
        for raw in _WORD.findall(a.lower()):
            first.setdefault(stem(raw.strip("'-")), raw.strip("'-"))
        common = {t for t in tokens(a)} & set(tokens(b))
        ranked = sorted(common, key=lambda w: -self.idf[self.vocab[w]] if w in self.vocab else 0.0)
        return [first.get(w, w) for w in ranked[:limit]]
