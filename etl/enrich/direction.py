"""Whether a lower value of an indicator is better.

Targets carry no direction in the reports. Text cells sometimes state it ("öka", "minska"); otherwise the name
does: "Andel barn som lever i familjer som har ekonomiskt bistånd" should go down, "Andel … som är nöjda" up.
Only names that measure something unwanted count as lower-is-better; everything else is higher-is-better.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from malbas.vocabulary import Riktning

_LOWER_IS_BETTER = re.compile(
    # the share on ekonomiskt bistånd itself, not outcomes of people on it ("… som fått arbete (ekonomiskt bistånd)")
    r"^andel [^()]{0,80}?\b(som (har|lever i familjer som har|uppbär)|med) (långvarigt )?ekonomiskt bistånd"
    r"( i förhållande till .*| jämfört med .*)?$"
    r"|sjukfrånvaro|väntetid|klimatpåverkan|köpt energi|energianvändning|utsläpp"
    r"|utsatts? för|illa behandlad|kränk|skadegörelse|klotter|vräkning|hemlöshet|personalomsättning"
    r"|olika personal|(?<!inte )använder (alkohol|narkotika|tobak)|upplever otrygghet|inte är självförsörjande"
    r"|återaktualiser|anmälda för brott",
    re.IGNORECASE,
)
_INCREASE = re.compile(r"^\s*(öka|ökning|högre)\b", re.IGNORECASE)
_DECREASE = re.compile(r"^\s*(minska|minskning|lägre|sänka)\b", re.IGNORECASE)


def direction(name: str, text_cells: Mapping[str, str] | None = None) -> Riktning:
    """'lagre' when a lower value is better, else 'hogre'. A target cell saying öka/minska decides."""
    for cell in (text_cells or {}).values():
        if _DECREASE.match(cell):
            return Riktning.LAGRE
        if _INCREASE.match(cell):
            return Riktning.HOGRE
    return Riktning.LAGRE if _LOWER_IS_BETTER.search(name.strip()) else Riktning.HOGRE
