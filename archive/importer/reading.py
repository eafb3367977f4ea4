"""Turn a source file's bytes into text, or refuse it with a one-line reason."""

from __future__ import annotations

import codecs
import gettext
import os
import re
import stat
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry
from charset_normalizer import from_bytes

from archive.limits import SOURCE_MAX_BYTES

from .records import SourceError

MAX_SOURCE_BYTES = SOURCE_MAX_BYTES
UTF_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
FILE_KINDS = [
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
]


@dataclass(frozen=True)
class SourceFile:
    """A file to import: named by the operator, or found in `folder` by a walk (whose symbolic
    links must stay inside the folder)."""

    path: Path
    folder: Path | None = None
    plain: bool = False  # the walk saw a regular file, not a link: not checked again before
    # opening (what it is once open is checked whatever the walk saw)


def source_read(source: SourceFile | Path, *, max_bytes: int = MAX_SOURCE_BYTES) -> bytes:
    """The file's bytes, or SourceError: only a regular file is read, its size is checked
    before reading, and reading stops past the limit whatever the file claims."""
    if not isinstance(source, SourceFile):
        source = SourceFile(Path(source))
    path = source.path
    if source.folder is not None and not source.plain and path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(source.folder.resolve()):
            raise SourceError("a symbolic link out of the folder: not followed")
    try:
        if not source.plain:
            _refuse_irregular(path.stat().st_mode)
        # Non-blocking: a FIFO swapped in after the check cannot hang the import on open.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise SourceError("cannot read: no such file") from None
    except OSError as error:
        raise SourceError(f"cannot read: {error.strerror or error}") from None
    with os.fdopen(descriptor, "rb") as file:
        info = os.fstat(file.fileno())
        _refuse_irregular(info.st_mode)
        if info.st_size > max_bytes:
            raise SourceError(f"too large: {info.st_size:,} bytes (limit {max_bytes:,})")
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SourceError(f"too large: over {max_bytes:,} bytes (limit {max_bytes:,})")
    return data


def _refuse_irregular(mode: int) -> None:
    for test, kind in FILE_KINDS:
        if test(mode):
            raise SourceError(f"not a regular file: {kind}")
    if not stat.S_ISREG(mode):
        raise SourceError("not a regular file")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # Python's name for it: "utf-8", "cp1252"
    doubt: str = ""  # why another encoding might have been meant, when the bytes fit several


def source_decode(data: bytes) -> str:
    return source_decoded(data).text


def source_decoded(data: bytes) -> Decoded:
    """UTF-8 (with or without BOM) as is; another encoding chosen on the page's evidence
    (legacy_decoded), or a clear refusal."""
    if not data.strip():
        raise SourceError("empty file")
    # UTF-32 first: its little-endian mark begins with UTF-16's.
    for bom, encoding in UTF_BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(encoding), encoding)
            except UnicodeDecodeError:
                raise SourceError(f"not valid {encoding} after its byte-order mark") from None
    if b"\x00" in data:
        raise SourceError("binary file: contains NUL bytes")
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError as error:
        # Cut inside the last character: the file was truncated, not written in another encoding.
        if error.reason == "unexpected end of data" and error.start >= len(data) - 3:
            raise SourceError("truncated: the file ends inside a UTF-8 character") from None
    return legacy_decoded(data)


# The characters this layout's pages are written with beyond ASCII (quotes, dashes, bullets,
# ellipses): a single-byte encoding that decodes the page's high bytes into them is likelier.
TYPOGRAPHY = frozenset("‘’“”–—•…«»")
# English text on Windows: the legacy encoding to choose when the evidence fits it as well as
# another (charset-normalizer otherwise ranks equals by name: "Inès" became "Inčs" in cp1250).
PREFERRED = "cp1252"
WORD = re.compile(r"\w+")
ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")


# The single-byte encodings tried besides charset-normalizer's proposals (it proposes none
# for some short pages: a Windows-1251 page with two Russian words got only cp1250 and cp1257).
LEGACY = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "iso-8859-15")


def legacy_decoded(data: bytes) -> Decoded:
    """Text in a single-byte or other legacy encoding, chosen on the page's evidence: its words
    are words of some language (each word's letters in one alphabet: "Сергей", not "Inиs"),
    of as few languages as can be, and its punctuation is this layout's (TYPOGRAPHY). The
    candidates: LEGACY, then charset-normalizer's choice. Equal on the evidence: Windows-1252,
    the common encoding of English text, else the first; and the doubt is said (a short page
    may fit two: "Dvořák" in Windows-1250 reads "Dvoøák" in 1252, a Faroese spelling)."""
    texts: dict[str, str] = {}
    for encoding in LEGACY:
        try:
            texts[encoding] = data.decode(encoding)
        except UnicodeDecodeError:
            continue
    if best := from_bytes(data).best():  # anything else: charset-normalizer's least messy
        texts.setdefault(best.encoding, str(best))
    texts = {name: text for name, text in texts.items() if _control_ratio(text) <= 0.01}
    if not texts:
        raise SourceError("binary or unknown encoding: no text encoding fits the bytes")
    score = {name: _evidence(text) for name, text in texts.items()}
    top = max(score.values())
    best = [name for name in texts if score[name] == top]
    chosen = PREFERRED if PREFERRED in best else best[0]
    others = [name for name in best if texts[name] != texts[chosen]]
    doubt = ""
    if others:
        doubt = f"encoding uncertain: read as {chosen}; {', '.join(others)} would read otherwise"
    return Decoded(texts[chosen], chosen, doubt)


def _evidence(text: str) -> tuple[int, int, int]:
    """(minus the words no alphabet spells, minus the alphabets it takes to spell the rest,
    this layout's punctuation marks): "Inès Château" is French, "Inčs Château" two languages."""
    alphabets = _alphabets()
    words = {
        frozenset(letters)
        for word in WORD.findall(text.casefold())
        if not (letters := {ch for ch in word if ch.isalpha()}) <= ASCII_LETTERS
    }
    spelled = {word for word in words if any(word <= alphabet for alphabet in alphabets)}
    return -(len(words) - len(spelled)), -_alphabets_needed(spelled), _typography(text)


def _typography(text: str) -> int:
    return sum(ch in TYPOGRAPHY for ch in text)


def _alphabets_needed(words: set[frozenset[str]]) -> int:
    """How few alphabets spell every word: exactly up to two, then greedily (in a fixed
    order, so that a page is always read the same way)."""
    alphabets = _alphabets()
    if not words:
        return 0
    unspelled = [{word for word in words if not word <= alphabet} for alphabet in alphabets]
    if not all(unspelled):
        return 1
    if any(all(word <= other for word in rest) for rest in unspelled for other in alphabets):
        return 2  # what one alphabet leaves, another spells
    needed, left = 0, set(words)
    while left:  # the alphabet spelling most of the words left
        best = max(alphabets, key=lambda alphabet: sum(word <= alphabet for word in left))
        left = {word for word in left if not word <= best}
        needed += 1
    return needed


def _script(letter: str) -> str:
    return unicodedata.name(letter, "UNKNOWN").split()[0]  # LATIN, CYRILLIC, GREEK, …


@cache
def _alphabets() -> tuple[frozenset[str], ...]:
    """The letters of each language pycountry translates its country names into: an alphabet
    per language, from data already shipped (its gettext catalogues)."""
    alphabets: dict[frozenset[str], None] = {}
    for language in sorted(os.listdir(pycountry.LOCALES_DIR)):
        try:
            names = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, [language])
        except OSError:
            continue
        letters = Counter(
            ch
            for country in pycountry.countries
            for ch in names.gettext(country.name).casefold()
            if ch.isalpha()
        )
        # One script per alphabet: a catalogue's few names left in Latin letters do not make
        # a word mixing Latin and Cyrillic letters ("Inиs", Windows-1252 read as 1251) a word.
        scripts = Counter()
        for ch, n in letters.items():
            scripts[_script(ch)] += n
        if scripts:
            main = scripts.most_common(1)[0][0]
            alphabets[frozenset(ch for ch in letters if _script(ch) == main)] = None
    return tuple(alphabets)  # in the catalogues' order: the same on every run


def _control_ratio(text: str) -> float:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls / max(len(text), 1)
