"""Build nlp/data/given_names.txt and surnames.txt, the names that say "person" (#13), add
listed public companies to the gazetteer, and rebuild nlp/data/glosses.jsonl, the English
glosses of its Chinese names (#14), after any change to the gazetteer.

    python -m launchwire.name_lists CENSUS_DIR
    python -m launchwire.name_lists --companies CONSTITUENTS_CSV
    python -m launchwire.name_lists --glosses

CENSUS_DIR holds the US Census 1990 name lists (`dist.male.first`, `dist.female.first`,
`dist.all.last`; public domain, shipped in the `names` 0.3.0 sdist on PyPI). Kept are the
names the tech news in ../shared/corpora writes capitalised, not as everyday words ("Hope",
"Will", "Summer", "Baker" go), and that open no gazetteer name ("Alexa", "Claude", "Morgan",
"Dell" go): such a name there says "person" and nothing else.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections import Counter
from pathlib import Path

from launchwire import corpora
from nlp.gazetteer import GAZETTEER, load_gazetteer
from nlp.glosses import GLOSSES, write_gloss_table
from nlp.names import GIVEN_NAMES_FILE, SURNAMES_FILE

GIVEN_NAME_FILES = ("dist.male.first", "dist.female.first")
SURNAME_FILES = ("dist.all.last",)
WORD = re.compile(r"\b[A-Za-z]+\b")
# A name written in lowercase more than this share of its capitalised uses (plus a little
# noise) is an everyday word.
LOWERCASE_SHARE = 0.05


# The census ranks names by frequency; past the commonest surnames, too many are words or
# brands ("Propeller") to say "person".
SURNAME_RANKS = 20000


def census_names(folder: Path, files: tuple[str, ...], ranks: int | None = None) -> set[str]:
    rows = [line.split() for name in files
            for line in (folder / name).read_text(encoding="ascii").splitlines() if line.strip()]
    return {row[0].lower() for row in rows if ranks is None or int(row[3]) <= ranks}


def everyday_words(candidates: set[str]) -> set[str]:
    """Candidates the tech-news corpora write in lowercase often enough to be words."""
    lowercase, capitalised = Counter(), Counter()
    for corpus in (corpora.LOSTFLUX, corpora.TLDR):
        for document in corpora.read_corpus(corpus):
            for word in WORD.findall(document.text):
                key = word.lower()
                if key not in candidates:
                    continue
                if word.islower():
                    lowercase[key] += 1
                elif word[1:].islower():
                    capitalised[key] += 1
    return {name for name in candidates
            if lowercase[name] > LOWERCASE_SHARE * capitalised[name] + 2}


def gazetteer_openers() -> set[str]:
    return {spelling.split()[0].lower() for entry in load_gazetteer()
            for spelling in entry.spellings if spelling.split()}


# CONSTITUENTS_CSV: the S&P 500 list of github.com/datasets/s-and-p-500-companies
# (data/constituents.csv, columns Symbol, Security, GICS Sector, …). Companies tech news
# names as investors, customers, rivals and buyers; each added as written, less its legal
# form, unless it is an everyday word ("Target", "Block"), opens with a person's name
# ("Charles Schwab"), is a bare acronym ("AES", "RTX" name other things), an exchange, or
# already known.
LISTED_SUFFIX = re.compile(r"\s*\((?:Class [A-Z]|The)\)|,?\s+(?:Inc\.?|Corp\.?|Corporation|"
                           r"Company|Co\.|& Co\.?|plc|Holdings|Incorporated|Limited)$")
EXCHANGES = frozenset({"Nasdaq", "Cboe Global Markets", "CME Group", "Intercontinental Exchange"})


def listed_companies(path: Path) -> list[str]:
    known = {spelling.lower() for entry in load_gazetteer() for spelling in entry.spellings}
    people = {line.strip() for target in (GIVEN_NAMES_FILE, SURNAMES_FILE)
              for line in target.read_text(encoding="utf-8").splitlines()}
    with path.open(encoding="utf-8", newline="") as rows:
        listed = [LISTED_SUFFIX.sub("", row["Security"]).strip() for row in csv.DictReader(rows)]
    candidates = sorted({name for name in listed if name.lower() not in known
                         and name not in EXCHANGES and name.split()[0].lower() not in people
                         and not (name.isupper() and len(name) <= 4)})
    words = everyday_words({name.lower() for name in candidates if " " not in name})
    return [name for name in candidates if name.lower() not in words]


def add_listed_companies(path: Path) -> int:
    names = listed_companies(path)
    with GAZETTEER.open("a", encoding="utf-8") as out:
        out.writelines(json.dumps({"name": name, "label": "COMPANY", "aliases": [],
                                   "parent": None}, ensure_ascii=False) + "\n" for name in names)
    return len(names)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("census_dir", type=Path, nargs="?")
    parser.add_argument("--companies", type=Path, help="a constituents CSV to add to the "
                        "gazetteer")
    parser.add_argument("--glosses", action="store_true", help="rebuild the glosses of the "
                        "gazetteer's Chinese names (after any change to it)")
    args = parser.parse_args(argv)
    if args.glosses:
        print(f"{write_gloss_table()} glosses -> {GLOSSES}")
        return 0
    if args.companies:
        print(f"{add_listed_companies(args.companies)} listed companies -> {GAZETTEER}")
        return 0
    if args.census_dir is None:
        parser.error("give CENSUS_DIR, --companies or --glosses")
    for files, ranks, target in ((GIVEN_NAME_FILES, None, GIVEN_NAMES_FILE),
                                 (SURNAME_FILES, SURNAME_RANKS, SURNAMES_FILE)):
        names = census_names(args.census_dir, files, ranks)
        kept = sorted(names - everyday_words(names) - gazetteer_openers())
        target.write_text("".join(f"{name}\n" for name in kept), encoding="utf-8")
        print(f"{len(kept)} of {len(names)} census names -> {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
