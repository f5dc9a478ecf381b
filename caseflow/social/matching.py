"""Swedish stemming-insensitive phrase matching for routing rules.

Snowball's Swedish stemmer folds inflections ("gatlyktor", "gatlykta" -> "gatlyk"); it leaves
some definite forms ("gatlyktan") alone, so a text word also matches when it starts with the
phrase word's stem (stems of four letters or more, to keep short words exact).
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
MIN_PREFIX_STEM = 4


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    return snowballstemmer.stemmer("swedish")


def words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text or "")]


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    return str(_stemmer().stemWord(word))


def stems(text: str) -> set[str]:
    return {stem(w) for w in words(text)}


def _word_matches(phrase_stem: str, text_words: list[str], text_stems: set[str]) -> bool:
    if phrase_stem in text_stems:
        return True
    if len(phrase_stem) >= MIN_PREFIX_STEM:
        return any(w.startswith(phrase_stem) for w in text_words)
    return False


def phrase_matches(phrase: str, text: str) -> bool:
    """True when every word of ``phrase`` occurs in ``text`` in some inflected form."""
    phrase_stems = [stem(w) for w in words(phrase)]
    if not phrase_stems:
        return False
    text_words = words(text)
    text_stems = {stem(w) for w in text_words}
    return all(_word_matches(p, text_words, text_stems) for p in phrase_stems)


def any_phrase_matches(phrases: list[str], text: str) -> bool:
    return any(phrase_matches(p, text) for p in phrases)
