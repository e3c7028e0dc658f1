"""The malbas ORM (SQLAlchemy 2, typed declarative). Import from here: `from models import Namnd, Rapport, …`."""

from models.base import Base
from models.dimensions import Indikator, Namnd, Period
from models.economy import Ekonomicell, Ekonomirad, Ekonomitabell
from models.goals import Aktivitet, Avvikelse, Mal, Maltext
from models.indicators import Indikatorrad, Utfall
from models.report import Datakvalitet, Laddning, Rapport, Textavsnitt

__all__ = [
    "Aktivitet",
    "Avvikelse",
    "Base",
    "Datakvalitet",
    "Ekonomicell",
    "Ekonomirad",
    "Ekonomitabell",
    "Indikator",
    "Indikatorrad",
    "Laddning",
    "Mal",
    "Maltext",
    "Namnd",
    "Period",
    "Rapport",
    "Textavsnitt",
    "Utfall",
]
