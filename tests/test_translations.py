"""The English catalogue keeps up with the code.

Every string a person reads is written in Vietnamese inside _(), _l() or ngettext(). These tests
extract the messages from the current source exactly as `make extract-messages` does (babel.cfg
for which files and how, the Makefile's -k keywords on top of Babel's defaults) and fail when
one has no English translation, is still marked fuzzy, or lost or gained a %-placeholder.

When one fails: `make extract-messages`, translate the new entries in
app/translations/en/LC_MESSAGES/messages.po, then `make translations`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "app" / "translations"
ENGLISH_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"

# printf-style conversions as Python's % operator reads them; "%%" is a literal percent sign.
_PLACEHOLDER = re.compile(r"%(?:\((?P<name>[^)]*)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<type>[diouxXeEfFgGcrsa%])")


def placeholders(text: str) -> set[str]:
    return {m.group(0) for m in _PLACEHOLDER.finditer(text) if m.group("type") != "%"}


def makefile_keywords() -> dict:
    """Babel's default keywords plus the -k options of the Makefile's `pybabel extract`."""
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        words = line.split()
        if words and words[0].endswith("pybabel") and "extract" in words:
            extra = [words[i + 1] for i, word in enumerate(words[:-1]) if word in ("-k", "--keyword", "--keywords")]
            keywords = dict(DEFAULT_KEYWORDS)
            keywords.update(parse_keywords(extra))
            return keywords
    raise AssertionError("the Makefile has no `pybabel extract` line")


def extract_messages() -> dict[str, tuple[str | tuple[str, ...], list[str]]]:
    """msgid (the singular one for plurals) → (message as extracted, where it is used)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[str, tuple[str | tuple[str, ...], list[str]]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=makefile_keywords()
    ):
        key = message[0] if isinstance(message, tuple) else message
        if not key:
            continue
        found.setdefault(key, (message, []))[1].append(f"{filename}:{lineno}")
    return found


def compile_catalogues(target: Path) -> Path:
    """Compile every messages.po into target, as `pybabel compile` would into app/translations.

    The test applications read their catalogues from target, so a test run writes nothing
    into app/ and always reads the catalogue as it is in the working tree.
    """
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        language = po.parent.parent.name
        with po.open("rb") as f:
            catalog = read_po(f, locale=language)
        mo = target / language / "LC_MESSAGES" / "messages.mo"
        mo.parent.mkdir(parents=True, exist_ok=True)
        with mo.open("wb") as f:
            write_mo(f, catalog)
    return target


@pytest.fixture(scope="module")
def extracted():
    messages = extract_messages()
    assert len(messages) > 100, "extraction found almost nothing: is babel.cfg still right?"
    return messages


@pytest.fixture(scope="module")
def english():
    with ENGLISH_PO.open("rb") as f:
        return read_po(f, locale="en")


def test_every_message_in_the_code_has_an_english_translation(extracted, english):
    problems = []
    for key, (message, places) in sorted(extracted.items()):
        where = ", ".join(places[:3])
        entry = english.get(key)
        if entry is None:
            problems.append(f"not in the catalogue: {key!r} ({where})")
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"marked fuzzy: {key!r} ({where})")
        if isinstance(message, tuple) != entry.pluralizable:
            problems.append(f"plural in one and not the other: {key!r} ({where})")
            continue
        forms = entry.string if entry.pluralizable else (entry.string,)
        if not all(form and form.strip() for form in forms):
            problems.append(f"no English: {key!r} ({where})")
    assert not problems, (
        f"{len(problems)} message(s) need work; run `make extract-messages` and translate them in "
        f"{ENGLISH_PO.relative_to(ROOT)}:\n  " + "\n  ".join(problems)
    )


def test_translations_keep_the_placeholders_of_their_message(extracted, english):
    problems = []
    for key, (message, _places) in sorted(extracted.items()):
        entry = english.get(key)
        if entry is None or "fuzzy" in entry.flags:
            continue  # reported by the test above
        expected = set().union(*(placeholders(m) for m in (message if isinstance(message, tuple) else (message,))))
        forms = entry.string if entry.pluralizable else (entry.string,)
        for form in forms:
            if form and placeholders(form) != expected:
                problems.append(f"{key!r} has {sorted(expected)}, but {form!r} has {sorted(placeholders(form))}")
    assert not problems, "\n".join(problems)


def test_the_catalogue_compiles_cleanly(english):
    assert not english.fuzzy, "the catalogue header is marked fuzzy, so `pybabel compile` would skip it"
    assert english.num_plurals == 2
    errors = [f"{message.id!r}: {error}" for message, message_errors in english.check() for error in message_errors]
    assert not errors, "\n".join(errors)


def test_an_english_visitor_reads_english(client):
    client.get("/ngon-ngu/en")

    page = client.get("/san-pham")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert ">Products</a>" in html
    assert "Sản phẩm" not in html

    missing = client.get("/khong-co-trang-nay")
    assert missing.status_code == 404
    assert "Page not found" in missing.get_data(as_text=True)
