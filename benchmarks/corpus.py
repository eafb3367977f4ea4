"""A synthetic corpus in the source layout of SPEC §1, deterministic by seed.

Each page has a breadcrumb, a title, a dateline (most of them), 3-12 paragraphs under 0-3
headings that name countries, capitals and demonyms, the disclaimer, `Issue:`/`Country:` tag
lines, 0-4 cards of both shapes pointing at other pages of the corpus, 1-3 author bios from a pool
of hundreds, and the footer. Some pages arrive with CRLF, a BOM or in cp1252; about one in a
hundred is bad (empty, binary, truncated, or the same text under another name).

    python -m benchmarks.corpus OUT_DIR N [--seed S]
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path


def words(text: str) -> list[str]:
    return text.split()


PUBLICATIONS = [
    ("Gulf International Forum", "GIF"),
    ("Horn Policy Institute", "HPI"),
    ("Centre for Maritime Strategy", "CMS"),
    ("Atlas Council on Foreign Affairs", "ACFA"),
    ("Institute for Water and Security", "IWS"),
]
FIRST = words(
    """
    Amina Daniel Giorgio Kenneth Layla Omar Sofia Yusuf Ingrid Tomas Mei Ravi Nadia Pablo
    Elif Kwame Hana Farid Olga Marco Aisha Jonas Leila Samuel Irina Tariq Chloe Dmitri
    Zainab Felix Noor Hugo Yara Mateo Salma Viktor Amara Idris Lucia Karim
    """
)
LAST = words(
    """
    Warsame Osei Cafiero Katzman Haddad Rahman Lindqvist Novak Chen Iyer Karimi Ortega
    Yilmaz Mensah Tanaka Nasser Petrova Rossi Bello Schmidt Aziz Moreau Kovacs Mwangi Farouk
    Silva Hansen Dubois Qureshi Ivanova Baptiste Okafor Laurent Sato Mahmoud Becker Costa
    Nair Varga Ali
    """
)
HONORIFICS = ["", "", "", "Dr. ", "Prof. "]
ROLES = [
    "a senior fellow at {pub}",
    "a non-resident scholar at {pub} and a former diplomat",
    "director of the security programme at {pub}",
    "a professor of international relations who writes on {topic}",
    "a research analyst at {pub} covering {topic}",
]
TOPICS = [
    "Energy Security",
    "Water Security",
    "Regional Diplomacy",
    "Maritime Security",
    "Sanctions",
    "Arms Control",
    "Migration",
    "Food Security",
    "Great Power Competition",
    "Trade and Investment",
    "Climate and Conflict",
    "Nuclear Proliferation",
    "Elections",
    "Human Rights",
    "Terrorism",
    "Public Health",
    "Cyber Security",
    "Development Finance",
    "Infrastructure",
    "Ports and Shipping",
    "Oil Markets",
    "Gas Markets",
    "Military Aid",
    "Peace Talks",
    "Refugees",
    "Civil War",
    "Border Disputes",
    "Religion and Politics",
    "Media and Propaganda",
    "Technology Policy",
]
COUNTRIES = words(
    """
    Egypt Ethiopia Sudan Iran Iraq Turkey Qatar Kenya Somalia Yemen Oman Jordan Lebanon
    Syria Israel Russia Ukraine China India Pakistan Brazil Nigeria Germany France Japan
    Algeria Morocco Tunisia Libya Eritrea Djibouti Kuwait Bahrain Afghanistan Kazakhstan
    """
)
CAPITALS = {
    "Egypt": "Cairo", "Ethiopia": "Addis Ababa", "Iran": "Tehran", "Turkey": "Ankara",
    "Qatar": "Doha", "Kenya": "Nairobi", "Russia": "Moscow", "China": "Beijing",
}  # fmt: skip
NOUNS = words(
    """
    Talks Pipeline Dam Port Corridor Ceasefire Alliance Election Embargo Summit Deal Rivalry
    Reform Crisis Strategy Bargain Gamble Pivot
    """
)
ADJECTIVES = words(
    """
    Fragile Quiet Costly Uneasy Hidden Slow Bold Uncertain Shifting Divided New Old Lasting
    Risky
    """
)
KINDS = ["Commentary", "Analysis", "Report", "Interview"]
SENTENCES = [
    "Officials in {capital} argue that the {noun} is a matter of national interest for {country}.",
    "{country} and {other} have traded accusations over the {noun} for months.",
    "Diplomats from {other} say the {adj} {noun} cannot last without outside guarantees.",
    "The {noun} has become the organising idea of policy in {country} since {year}.",
    "Analysts expect {other} to press its case at the next round of talks.",
    "Few in {capital} believe the {adj} {noun} will survive the coming year.",
    "Trade between {country} and {other} fell by a third while the dispute went on.",
    "The government has promised reforms, but the budget tells a different story.",
    "None of this is new, and most of it was predicted by observers at the time.",
]
DISCLAIMER = (
    "The views and opinions expressed in this article are those of the authors and do not "
    "necessarily reflect the views of {pub}."
)
FOOTER = "Subscribe to Receive Latest Updates from {acronym}."
START = date(2015, 1, 1)


@dataclass(frozen=True)
class Page:
    name: str
    data: bytes
    bad: bool


def author_pool(seed: int, size: int = 400) -> list[tuple[str, str]]:
    """(honorific, name) pairs, the same for a seed."""
    rng = random.Random(f"authors:{seed}")
    names: dict[str, str] = {}
    while len(names) < size:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        names.setdefault(name, rng.choice(HONORIFICS))
    return [(honorific, name) for name, honorific in names.items()]


def title_for(seed: int, index: int) -> str:
    rng = random.Random(f"title:{seed}:{index}")
    country = rng.choice(COUNTRIES)
    return (
        f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}: {country} and the "
        f"{rng.choice(TOPICS)} Question, Part {index}"
    )


def date_for(seed: int, index: int) -> date:
    return START + timedelta(days=random.Random(f"date:{seed}:{index}").randrange(3650))


def page_text(seed: int, index: int, total: int, authors: list[tuple[str, str]]) -> str:
    rng = random.Random(f"page:{seed}:{index}")
    pub, acronym = PUBLICATIONS[index % len(PUBLICATIONS)]
    title = title_for(seed, index)
    country, other = rng.sample(COUNTRIES, 2)
    lines = ["• Home", f"  • {title}", "", title, ""]
    if rng.random() < 0.7:
        lines += [f"{date_for(seed, index):%B %-d, %Y}", ""]
    for part in range(rng.randint(1, 4)):
        if part:
            lines += [f"The {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} in {other}", ""]
        for _ in range(rng.randint(2, 4)):
            sentences = [
                rng.choice(SENTENCES).format(
                    country=country,
                    other=other,
                    capital=CAPITALS.get(country, country),
                    noun=rng.choice(NOUNS).lower(),
                    adj=rng.choice(ADJECTIVES).lower(),
                    year=rng.randint(1990, 2024),
                )
                for _ in range(rng.randint(2, 6))
            ]
            lines += [" ".join(sentences), ""]
    lines += [DISCLAIMER.format(pub=pub), ""]
    lines += [f"Issue: {', '.join(rng.sample(TOPICS, rng.randint(1, 3)))}"]
    lines += [f"Country: {', '.join(dict.fromkeys([country, *rng.sample(COUNTRIES, 1)]))}", ""]
    for _ in range(rng.randint(0, 4)):
        target = rng.randrange(total)
        if target == index:
            continue
        excerpt = f"The {rng.choice(NOUNS).lower()} in {rng.choice(COUNTRIES)} has turned into…"
        if rng.random() < 0.5:
            lines += [title_for(seed, target), "", f"{date_for(seed, target):%B %-d, %Y}", ""]
        else:
            lines += [rng.choice(COUNTRIES), "", title_for(seed, target), "", rng.choice(KINDS), ""]
        lines += [excerpt, ""]
    for honorific, name in rng.sample(authors, rng.choice([1, 1, 1, 2, 2, 3])):
        role = rng.choice(ROLES).format(pub=pub, topic=rng.choice(TOPICS).lower())
        lines += [f"{honorific}{name} is {role}.", ""]
    lines += [FOOTER.format(acronym=acronym), ""]
    return "\n".join(lines)


def corpus_pages(n: int, *, seed: int = 0, bad_every: int = 100):
    """The corpus, one page at a time (nothing is held for the whole corpus)."""
    authors = author_pool(seed)
    for index in range(n):
        rng = random.Random(f"file:{seed}:{index}")
        name = f"{index:06d}_{rng.getrandbits(64):016x}.txt"
        if bad_every and index % bad_every == bad_every - 1:
            yield Page(name, _bad_file(rng, seed, index, n, authors), bad=True)
            continue
        text = page_text(seed, index, n, authors)
        form = rng.random()
        if form < 0.05:
            data = text.replace("\n", "\r\n").encode()
        elif form < 0.08:
            data = "\ufeff".encode() + text.encode()
        elif form < 0.10:
            data = text.replace("…", "...").replace("•", "*").encode("cp1252", "replace")
        else:
            data = text.encode()
        yield Page(name, data, bad=False)


def _bad_file(rng: random.Random, seed: int, index: int, n: int, authors) -> bytes:
    kind = rng.choice(["empty", "binary", "truncated", "duplicate"])
    if kind == "empty":
        return b""
    if kind == "binary":
        return bytes(rng.getrandbits(8) for _ in range(2048)) + b"\x00"
    if kind == "duplicate" and index > 1:
        return page_text(seed, index - 1, n, authors).encode()  # the previous page's text
    text = page_text(seed, index, n, authors).encode()
    return text[: len(text) // 2] + "é".encode()[:1]  # cut inside a character


def corpus_write(folder: Path, n: int, *, seed: int = 0, bad_every: int = 100) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    counts = {"files": 0, "bad": 0, "bytes": 0}
    for page in corpus_pages(n, seed=seed, bad_every=bad_every):
        (folder / page.name).write_bytes(page.data)
        counts["files"] += 1
        counts["bad"] += page.bad
        counts["bytes"] += len(page.data)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bad-every", type=int, default=100)
    args = parser.parse_args()
    print(corpus_write(args.folder, args.n, seed=args.seed, bad_every=args.bad_every))


if __name__ == "__main__":
    main()
