"""Whether a lower value of an indicator is better, read from its name.

Targets carry no direction in the reports; the name does ("Andel barn som lever i familjer som har ekonomiskt
bistånd" should go down, "Andel … som är nöjda" up).
"""

import re

_LOWER_IS_BETTER = re.compile(
    r"ekonomiskt bistånd|försörjningsstöd|sjukfrånvaro|väntetid|vänta|klimatpåverkan|köpt energi|energianvändning"
    r"|utsatt|illa behandlad|kränk|våld|brott|skadegörelse|klotter|avvikelse|vräkning|hemlös|personalomsättning"
    r"|olika personal|antal personal|kostnad per|använder (alkohol|narkotika|tobak)|otrygg|skuld|arbetslös"
    r"|återaktualiser|placering|inskrivna på|ungdomsarbetslöshet|resultatöverföring|underskott",
    re.IGNORECASE,
)
_NEGATED = re.compile(r"\binte\b|\butan\b|\bej\b", re.IGNORECASE)


def direction(name: str) -> str:
    """'lagre' when a lower value is better, else 'hogre'."""
    if _LOWER_IS_BETTER.search(name) and not _NEGATED.search(name):
        return "lagre"
    return "hogre"
