"""Vietnamese text: folding for search, slugs, and alphabetical sort keys."""

from __future__ import annotations

import re
import unicodedata

from slugify import slugify

_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r"[a-z0-9]+")


def fold(text: str | None) -> str:
    """Lower case, tone and vowel marks removed, đ → d, spaces collapsed.

    NFD does not decompose đ/Đ (it is a letter of its own, not d plus a mark), so it is
    mapped by hand before the marks are dropped.
    """
    if not text:
        return ""
    text = text.lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", unicodedata.normalize("NFC", stripped)).strip()


def search_tokens(text: str | None) -> list[str]:
    """The words of a folded text: what a search index stores and what a query asks for."""
    return _TOKEN.findall(fold(text))


def make_slug(text: str, max_length: int = 80) -> str:
    return slugify(fold(text), max_length=max_length, word_boundary=True) or "san-pham"


# Vietnamese alphabetical order. f, j, w and z are not Vietnamese letters but appear in
# borrowed words and brand names; they take their Latin places.
_ALPHABET = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng
_VOWEL_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve (ă), circumflex (â ê ô), horn (ơ ư)


def _letter_codes() -> dict[str, str]:
    codes = {" ": "01"}
    for digit in "0123456789":
        codes[digit] = f"{2 + int(digit):02d}"
    for position, letter in enumerate(_ALPHABET):
        codes[letter] = f"{20 + position:02d}"
    return codes


_CODES = _letter_codes()


def vietnamese_sort_key(text: str | None, max_length: int = 255) -> str:
    """A string whose plain (binary or C-collation) order is Vietnamese dictionary order.

    Letters are compared first (ă after a, đ after d, ơ after ô), tones only to break ties, in
    the order of Vietnamese dictionaries: ngang, huyền, hỏi, ngã, sắc, nặng. The key holds
    only digits, so any database collation orders it the same way.
    """
    primary: list[str] = []
    tones: list[str] = []
    for ch in _SPACES.sub(" ", (text or "").lower()).strip():
        decomposed = unicodedata.normalize("NFD", ch)
        base = "".join(c for c in decomposed if c not in _TONES)
        base = unicodedata.normalize("NFC", base)
        code = _CODES.get(base)
        if code is None:
            # Punctuation and letters outside the alphabet do not take part in the order.
            continue
        primary.append(code)
        tones.append(str(next((_TONES[c] for c in decomposed if c in _TONES), 0)))
    return ("".join(primary) + "00" + "".join(tones))[:max_length]
