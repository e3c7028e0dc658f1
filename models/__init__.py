"""The malbas ORM (SQLAlchemy 2, typed declarative). Import from here: `from models import Namnd, Rapport, …`."""

from malbas.models.base import Base
from malbas.models.dimensions import Indikator, Namnd, Period
from malbas.models.economy import Ekonomicell, Ekonomirad, Ekonomitabell
from malbas.models.goals import Aktivitet, Avvikelse, Mal, Maltext
from malbas.models.indicators import Indikatoralias, Indikatorrad, Utfall
from malbas.models.keyfigures import Nyckeltal
from malbas.models.report import Datakvalitet, Laddning, Rapport, Textavsnitt

__all__ = [
    "Aktivitet",
    "Avvikelse",
    "Base",
    "Datakvalitet",
    "Ekonomicell",
    "Ekonomirad",
    "Ekonomitabell",
    "Indikator",
    "Indikatoralias",
    "Indikatorrad",
    "Laddning",
    "Mal",
    "Maltext",
    "Namnd",
    "Nyckeltal",
    "Period",
    "Rapport",
    "Textavsnitt",
    "Utfall",
]
