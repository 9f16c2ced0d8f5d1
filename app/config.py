"""One settings object, read from the environment (and an optional `.env` file)."""

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "data" / "ofsted.sqlite3"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = f"sqlite:///{DEFAULT_SQLITE_PATH}"
    """SQLAlchemy URL. SQLite (the default, a file under `data/`) or PostgreSQL
    (`postgresql+psycopg://user@host/db`; a bare `postgresql://` URL is accepted too)."""

    sql_echo: bool = False


@lru_cache
def get_settings() -> Settings:
    return Settings()
