import pytest


@pytest.fixture
def insights_db(tmp_path, monkeypatch):
    """A fresh insights database for one test."""
    url = f"sqlite:///{tmp_path / 'insights.db'}"
    monkeypatch.setenv("INSIGHTS_DATABASE_URL", url)
    return tmp_path / "insights.db"
