"""Settings: declared once, overridden by file, environment and flags in that order."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfold.config import SETTINGS, load_config
from newsfold.errors import ConfigError


def test_defaults_and_help_for_every_setting() -> None:
    config = load_config(environ={})
    for setting in SETTINGS:
        assert setting.help
        assert config[setting.name] == setting.default
        assert config.origins[setting.name] == "default"


def test_precedence_file_env_flag(tmp_path: Path) -> None:
    toml = tmp_path / "c.toml"
    toml.write_text("[serve]\nport = 9000\nhost = '127.0.0.2'\n[fetch]\nhost_delay = 2\n")
    env = {"NEWSFOLD_SERVE_PORT": "9100", "NEWSFOLD_READER_LANGUAGES": "en, de"}
    config = load_config(str(toml), {"serve.port": 9200}, environ=env)
    assert config["serve.port"] == 9200 and config.origins["serve.port"] == "command line"
    assert config["serve.host"] == "127.0.0.2" and config.origins["serve.host"] == str(toml)
    assert config["reader_languages"] == ["en", "de"]
    assert config["fetch.host_delay"] == 2


def test_bad_settings_are_clear_errors(tmp_path: Path) -> None:
    toml = tmp_path / "c.toml"
    toml.write_text("nonsense = 1\n")
    with pytest.raises(ConfigError, match="unknown setting 'nonsense'"):
        load_config(str(toml), environ={})
    toml.write_text("[serve]\nport = 'eighty'\n")
    with pytest.raises(ConfigError, match=r"serve\.port must be an integer"):
        load_config(str(toml), environ={})
    toml.write_text("[serve\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(str(toml), environ={})
    with pytest.raises(ConfigError, match=r"ingest\.batch_size must be an integer"):
        load_config(None, environ={"NEWSFOLD_INGEST_BATCH_SIZE": "many"})
