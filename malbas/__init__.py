"""malbas: the goal follow-up database for Stockholm's district committees."""

import warnings

# platformdirs warns when XDG_RUNTIME_DIR is unset (cron, containers); the fallback it picks is fine.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

__version__ = "0.1.0"
