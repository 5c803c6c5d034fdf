"""Write the scheduling core's English problem texts into translations/en.json.

Their one source is ``scheduling/problems.py``; ``tests/test_init.py`` fails when the two disagree.

    scripts/run python scripts/sync_translations.py
"""

from __future__ import annotations

import json
from pathlib import Path
import sys

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from custom_components.bellas_reef.scheduling.problems import MESSAGES  # noqa: E402

EN = REPO / "custom_components" / "bellas_reef" / "translations" / "en.json"


def main() -> None:
    """Replace the problem texts of en.json with the core's."""
    data = json.loads(EN.read_text())
    exceptions = {key: value for key, value in data["exceptions"].items() if not key.startswith("problem_")}
    exceptions.update({f"problem_{code.value}": {"message": text} for code, text in MESSAGES.items()})
    data["exceptions"] = exceptions
    EN.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    print(f"{EN.relative_to(REPO)}: {len(MESSAGES)} problem texts")


if __name__ == "__main__":
    main()
