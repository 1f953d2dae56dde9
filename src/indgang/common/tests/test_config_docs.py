from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from indgang.conf import env
from indgang.conf.env import MissingSettingError, config


def test_config_docs_lists_every_variable_and_shows_no_secret(tmp_path: Path) -> None:
    call_command("config-docs", "--root", str(tmp_path))

    docs = (tmp_path / "docs" / "configuration.md").read_text(encoding="utf-8")
    example = (tmp_path / ".env.example").read_text(encoding="utf-8").splitlines()
    for name in (
        "DATABASE_URL",
        "INDGANG_SECRET_KEY",
        "INDGANG_CPR_KEY",
        "INDGANG_SECURE_SSL_REDIRECT",
    ):
        assert f"| `{name}` |" in docs
    assert "INDGANG_SECRET_KEY=" in example
    assert "INDGANG_CPR_KEY=" in example
    assert "DATABASE_URL=sqlite:///$INDGANG_VAR_DIR/indgang.sqlite3" in example


def test_required_setting_may_be_neither_missing_nor_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(env, "REGISTRY", {})  # keep the test's variables out of the docs
    monkeypatch.setenv("INDGANG_TEST_SECRET", "")

    with pytest.raises(MissingSettingError):
        config("INDGANG_TEST_SECRET", None, help="a secret")
    monkeypatch.delenv("INDGANG_TEST_SECRET")
    with pytest.raises(MissingSettingError):
        config("INDGANG_TEST_SECRET", None, help="a secret")
    assert config("INDGANG_TEST_OPTIONAL", "", help="may be empty") == ""
