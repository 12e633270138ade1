"""Ship a trained recogniser with the package: `nlp/models/entities` (#13).

    python -m nlp.training.package build/training/model/model-best
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import spacy

from nlp.pipeline import TRAINED_MODEL


def package(trained_path: Path, target: Path = TRAINED_MODEL) -> None:
    trained = spacy.load(trained_path)
    trained.meta["name"] = "launchwire_entities"
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    trained.to_disk(target)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m nlp.training.package", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trained", type=Path)
    args = parser.parse_args()
    package(args.trained)
    print(f"{TRAINED_MODEL}: {sum(f.stat().st_size for f in TRAINED_MODEL.rglob('*') if f.is_file()):,} bytes")


if __name__ == "__main__":
    main()
