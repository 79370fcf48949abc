"""The commune finder's reads: which Mission Locale covers what a young person typed.

The typed text is compared with the covered communes' names once accents, case, hyphens and
apostrophes are set aside ("onet le chateau" finds Onet-le-Château); five digits are read as
a postcode or an INSEE code. The covered communes are read in one query and compared here:
a few thousand names at most, and no search backend to keep in step."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from territories.models import Commune, CommuneCoverage, Organisation

POSTCODE = re.compile(r"^\d{5}$")
# A postcode or INSEE code typed next to the name ("Rodez 12000"), as browsers suggest it.
TRAILING_CODE = re.compile(r"\s*\(?\d{5}\)?$")
MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class CoveredCommune:
    """A commune a Mission Locale covers, as the finder lists and compares it."""

    commune: Commune
    organisation: Organisation

    @property
    def label(self) -> str:
        """What the suggestions show: the name, and the first postcode to tell twins apart."""
        postcode = self.commune.first_postcode
        return f"{self.commune.name} ({postcode})" if postcode else self.commune.name


def normalise(text: str) -> str:
    """Lower case, no accents, hyphens and apostrophes as spaces, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = re.sub(r"[-'’_.,/]", " ", plain)
    plain = re.sub(r"\bst\b", "saint", plain)
    plain = re.sub(r"\bste\b", "sainte", plain)
    return " ".join(plain.split())


def covered_communes() -> list[CoveredCommune]:
    """Every commune some Mission Locale covers, by name (1 query)."""
    return [
        CoveredCommune(row.commune, row.organisation)
        for row in CommuneCoverage.objects.select_related("commune", "organisation").order_by(
            "commune__name"
        )
    ]


def find_covered(query: str, candidates: list[CoveredCommune]) -> list[CoveredCommune]:
    """The covered communes matching what was typed: by postcode or INSEE code for five
    digits, otherwise by name (exact once normalised; else names starting with it)."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    if POSTCODE.match(query):
        return [
            candidate
            for candidate in candidates
            if query == candidate.commune.insee_code or query in candidate.commune.postcode_list
        ]
    wanted = normalise(TRAILING_CODE.sub("", query))
    if not wanted:
        return []
    exact = [c for c in candidates if normalise(c.commune.name) == wanted]
    if exact:
        return exact
    return [c for c in candidates if normalise(c.commune.name).startswith(wanted)]
