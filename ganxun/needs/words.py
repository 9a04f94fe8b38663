"""Words for labels: jieba segments, a cluster's label is its most distinctive words.

jieba ships its dictionary inside the package, so nothing is downloaded; its prefix-dictionary
cache goes to the temporary folder on first use (about a second).
"""

import logging
import math
from collections import Counter
from functools import lru_cache
from pathlib import Path

import jieba

STOPWORDS_FILE = Path(__file__).with_name("data") / "stopwords.txt"


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Words that say how people ask, not what they need (kept as data)."""
    lines = STOPWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def words(text: str) -> list[str]:
    """Content words of a statement: two characters or more (or a Latin term), no stopwords."""
    out = []
    for word in _tokenizer().lcut(text):
        word = word.strip()
        if not word or word in stopwords():
            continue
        if len(word) >= 2 or (word.isascii() and word.isalpha() and len(word) >= 2):
            out.append(word)
    return out


def cluster_keywords(texts: list[str], weights: list[int] | None = None, n: int = 5) -> list[str]:
    """The words most typical of these statements: frequent here, spread over many of them."""
    weights = weights or [1] * len(texts)
    counts: Counter[str] = Counter()
    for text, weight in zip(texts, weights, strict=True):
        for word in set(words(text)):
            counts[word] += weight
    total = sum(weights)
    # Longer words are more specific; a word in one statement out of many says little.
    ranked = sorted(
        counts.items(),
        key=lambda kv: (-(kv[1] / total) * math.log(1 + len(kv[0])), kv[0]),
    )
    return [word for word, _count in ranked[:n]]
