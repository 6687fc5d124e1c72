"""`newsfold models install NAME` against a local server acting as the model hub: download, verify, roll back."""

from __future__ import annotations

import hashlib
import json
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pytest_httpserver import HTTPServer

from newsfold.cli import cli
from newsfold.errors import InputError
from newsfold.ingest.fetch import ConnectionFailedError, Fetcher, FetchSettings
from newsfold.language.errors import ModelError
from newsfold.language.hub import HubClient, HubFile, HubModel, download_install, lookup, manual_steps
from newsfold.language.models import MANIFEST, ModelStore
from tests.conftest import SEED_LIMITED
from tests.language.conftest import TINY, TINY_NLLB

REPO = "gaudi/opus-mt-en-de-ctranslate2"
FILES = ("config.json", "model.bin", "shared_vocabulary.json", "source.spm", "target.spm")


@pytest.fixture
def hub(server: HTTPServer) -> HTTPServer:
    """The local test server (tests/conftest.py), acting as the model hub."""
    return server


def listing(files: dict[str, bytes], sizes: dict[str, int] | None = None) -> dict[str, object]:
    """A hub API answer for files: model.bin as an LFS file (size and sha256), the rest with their size."""
    siblings: list[dict[str, object]] = [{"rfilename": "README.md"}, {"rfilename": ".gitattributes"}]
    for name, data in files.items():
        size = (sizes or {}).get(name, len(data))
        if name == "model.bin":
            siblings.append({"rfilename": name, "lfs": {"sha256": hashlib.sha256(data).hexdigest(), "size": size}})
        else:
            siblings.append({"rfilename": name, "size": size})
    return {"id": REPO, "siblings": siblings}


def serve_model(
    hub: HTTPServer,
    *,
    files: dict[str, bytes] | None = None,
    sizes: dict[str, int] | None = None,
    served: dict[str, bytes] | None = None,
) -> dict[str, bytes]:
    """Serve the tiny model as REPO: the API listing, every file (model.bin through a redirect, as the hub does)."""
    files = files or {name: (TINY / name).read_bytes() for name in FILES}
    hub.expect_request(f"/api/models/{REPO}").respond_with_json(listing(files, sizes))
    for name, data in files.items():
        body = (served or {}).get(name, data)
        if name == "model.bin":
            location = hub.url_for(f"/cdn/{name}")
            hub.expect_request(f"/{REPO}/resolve/main/{name}").respond_with_data(
                "", status=302, headers={"Location": location}
            )
            hub.expect_request(f"/cdn/{name}").respond_with_data(body, content_type="application/octet-stream")
        else:
            hub.expect_request(f"/{REPO}/resolve/main/{name}").respond_with_data(body)
    return files


def env_for(tmp_path: Path, hub_url: str, *, allow: bool = True, **extra: str) -> dict[str, str]:
    """Settings through the environment: models folder, the hub's URL, and 127.0.0.1 reachable when allow."""
    env = {
        "NEWSFOLD_MODELS_DIR": str(tmp_path / "models"),
        "NEWSFOLD_MODELS_HUB_URL": hub_url,
        "NEWSFOLD_TRANSLATE_DEVICE": "cpu",
        "NEWSFOLD_TRANSLATE_THREADS": "1",
        "NEWSFOLD_FETCH_ALLOWED_NETWORKS": "127.0.0.1/32" if allow else "",
        "NEWSFOLD_FETCH_RETRIES": "0",
    }
    env.update(extra)
    return env


def run(runner: CliRunner, env: dict[str, str], *args: str) -> Result:
    """Invoke the CLI in-process (exceptions stay on the result)."""
    return runner.invoke(cli, list(args), env=env, standalone_mode=False)


def nothing_installed(tmp_path: Path) -> bool:
    """Whether the models folder holds no model and no leftover download."""
    root = tmp_path / "models"
    return not root.exists() or list(root.iterdir()) == []


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_install_by_name_downloads_and_translates(runner: CliRunner, hub: HTTPServer, tmp_path: Path) -> None:
    """The catalogued name resolves to the hub repository; the files come down, install, and translate."""
    serve_model(hub)
    env = env_for(tmp_path, hub.url_for("/").rstrip("/"))
    result = run(runner, env, "models", "install", "opus-mt-en-de")
    assert result.exception is None, result.output
    assert "installed opus-mt-en-de (en -> de)" in result.output
    folder = tmp_path / "models" / "opus-mt-en-de"
    for name in FILES:
        assert (folder / name).read_bytes() == (TINY / name).read_bytes()
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["origin"].endswith(f"/{REPO}@main") and manifest["kind"] == "marian"
    assert [p.name for p in (tmp_path / "models").iterdir()] == ["opus-mt-en-de"]
    requested = {request.path for request, _ in hub.log}
    assert "/cdn/model.bin" in requested and f"/{REPO}/resolve/main/README.md" not in requested

    result = run(runner, env, "translate", str(SEED_LIMITED), "--to", "de", "--no-cache")
    assert result.exception is None, result.output
    assert "[machine translation en -> de by opus-mt-en-de]" in result.output

    result = run(runner, env, "models", "install", "opus-mt-en-de")
    assert isinstance(result.exception, ModelError) and "already installed" in str(result.exception)


def test_private_hub_is_refused_without_the_allow_setting(runner: CliRunner, hub: HTTPServer, tmp_path: Path) -> None:
    """A hub on a private address is refused by the fetcher unless fetch.allowed_networks names it."""
    serve_model(hub)
    result = run(
        runner, env_for(tmp_path, hub.url_for("/").rstrip("/"), allow=False), "models", "install", "opus-mt-en-de"
    )
    assert isinstance(result.exception, InputError) and "refused" in str(result.exception)
    assert not isinstance(result.exception, ConnectionFailedError)
    assert hub.log == [] and nothing_installed(tmp_path)


def test_truncated_file_rolls_back(runner: CliRunner, hub: HTTPServer, tmp_path: Path) -> None:
    """A file shorter than the hub lists is refused; nothing is installed, no download is left behind."""
    data = (TINY / "model.bin").read_bytes()
    serve_model(hub, served={"model.bin": data[: len(data) // 2]})
    result = run(runner, env_for(tmp_path, hub.url_for("/").rstrip("/")), "models", "install", "opus-mt-en-de")
    assert isinstance(result.exception, ModelError) and "incomplete" in str(result.exception)
    assert nothing_installed(tmp_path)


def test_wrong_checksum_rolls_back(runner: CliRunner, hub: HTTPServer, tmp_path: Path) -> None:
    """A file of the right size but other content fails the sha256 check."""
    data = (TINY / "model.bin").read_bytes()
    serve_model(hub, served={"model.bin": bytes(reversed(data))})
    result = run(runner, env_for(tmp_path, hub.url_for("/").rstrip("/")), "models", "install", "opus-mt-en-de")
    assert isinstance(result.exception, ModelError) and "sha256" in str(result.exception)
    assert nothing_installed(tmp_path)


def test_oversized_files_are_refused(runner: CliRunner, hub: HTTPServer, tmp_path: Path) -> None:
    """Over models.max_bytes: refused from the listing's size, and while streaming when the size was not listed."""
    serve_model(hub)
    env = env_for(tmp_path, hub.url_for("/").rstrip("/"), NEWSFOLD_MODELS_MAX_BYTES="100000")
    result = run(runner, env, "models", "install", "opus-mt-en-de")
    assert isinstance(result.exception, ModelError) and "over models.max_bytes" in str(result.exception)
    assert nothing_installed(tmp_path)

    hub.clear()
    files = {name: (TINY / name).read_bytes() for name in FILES}
    served = {"model.bin": files["model.bin"] + b"\0" * 200_000}  # the server sends more than the listing says
    serve_model(hub, files=files, served=served)
    env = env_for(tmp_path, hub.url_for("/").rstrip("/"), NEWSFOLD_MODELS_MAX_BYTES="300000")
    result = run(runner, env, "models", "install", "opus-mt-en-de")
    assert isinstance(result.exception, InputError) and "byte limit" in str(result.exception)
    assert nothing_installed(tmp_path)


def test_no_network_prints_what_to_download(runner: CliRunner, tmp_path: Path) -> None:
    """The hub cannot be reached: exit 1 with the files to download, the folder to put them in, and models.dir."""
    hub_url = f"http://127.0.0.1:{closed_port()}"
    result = run(runner, env_for(tmp_path, hub_url), "models", "install", "opus-mt-de-en")
    assert result.exception is None and result.return_value == 1
    assert "cannot reach the model hub" in result.output
    assert f"{hub_url}/gaudi/opus-mt-de-en-ctranslate2/tree/main" in result.output
    assert "newsfold models install ./opus-mt-de-en" in result.output
    assert str(tmp_path / "models") in result.output and nothing_installed(tmp_path)


def test_unknown_hub_repository(runner: CliRunner, hub: HTTPServer, tmp_path: Path) -> None:
    """A name the hub does not have is an error naming the repository; an uncatalogued name only gets the help."""
    env = env_for(tmp_path, hub.url_for("/").rstrip("/"))
    result = run(runner, env, "models", "install", "opus-mt-xx-yy")
    assert isinstance(result.exception, ModelError) and "no repository gaudi/opus-mt-xx-yy" in str(result.exception)
    result = run(runner, env, "models", "install", "no-such-thing")
    assert result.return_value == 1 and "Argos Translate packages" in result.output
    assert nothing_installed(tmp_path) and [r.path for r, _ in hub.log] == [
        "/api/models/gaudi/opus-mt-xx-yy-ctranslate2"
    ]


def test_lookup_names() -> None:
    """Catalogue names, the OPUS-MT pattern and OWNER/NAME repositories resolve; anything else does not."""
    opus = lookup("opus-mt-fr-en")
    assert opus is not None and (opus.repo, opus.source, opus.target) == ("gaudi/opus-mt-fr-en-ctranslate2", "fr", "en")
    nllb = lookup("nllb-200-distilled-600M")
    assert nllb is not None and nllb.repo == "JustFrederik/nllb-200-distilled-600M-ct2-int8"
    own = lookup("someone/opus-mt-de-en-ct2")
    assert own is not None and (own.name, own.repo) == ("opus-mt-de-en-ct2", "someone/opus-mt-de-en-ct2")
    assert lookup("opus-mt-de") is None and lookup("translate-de_en.argosmodel") is None


def test_catalogued_files_and_progress(hub: HTTPServer, tmp_path: Path) -> None:
    """An entry with its own file list needs no API call; progress advances by every byte of every file."""
    files = tuple(HubFile(name, (TINY / name).stat().st_size) for name in FILES)
    model = HubModel("tiny-en-de", "tests/tiny", revision="v1", files=files, source="en", target="de")
    for file in files:
        hub.expect_request(f"/tests/tiny/resolve/v1/{file.name}").respond_with_data((TINY / file.name).read_bytes())
    seen: dict[str, list[int]] = {}

    @contextmanager
    def progress(label: str, total: int | None) -> Iterator[Callable[[int], None]]:
        """Record what the bar would show."""
        seen[label] = [total or 0, 0]
        yield lambda n: seen[label].__setitem__(1, seen[label][1] + n)

    fetcher = Fetcher(FetchSettings(allowed_networks=("127.0.0.1/32",), host_delay=0.0, obey_robots=False))
    client = HubClient(hub.url_for("/"), fetcher, 10**7)
    try:
        info = download_install(ModelStore(tmp_path / "models"), model, client, progress=progress)
    finally:
        client.close()
    assert info.name == "tiny-en-de" and info.sources == ["en"] and info.origin == f"{client.base_url}/tests/tiny@v1"
    assert seen == {f.name: [f.size, f.size] for f in files}
    text = manual_steps(model, "https://hub.example/", tmp_path / "models")
    assert "https://hub.example/tests/tiny/resolve/v1/model.bin" in text and "./tiny-en-de" in text


def test_tokenizer_from_another_repository(hub: HTTPServer, tmp_path: Path) -> None:
    """An NLLB conversion without its tokenizer: the listed files plus the catalogue's extra file from elsewhere."""
    extra = HubFile("sentencepiece.bpe.model", repo="tests/nllb-original")
    model = HubModel("tiny-nllb", "tests/nllb-ct2", extra=(extra,))
    listed = {name: (TINY_NLLB / name).read_bytes() for name in ("config.json", "model.bin", "shared_vocabulary.json")}
    siblings = [{"rfilename": name, "size": len(data)} for name, data in listed.items()]
    hub.expect_request("/api/models/tests/nllb-ct2").respond_with_json({"siblings": siblings})
    for name, data in listed.items():
        hub.expect_request(f"/tests/nllb-ct2/resolve/main/{name}").respond_with_data(data)
    tokenizer = (TINY_NLLB / extra.name).read_bytes()
    hub.expect_request(f"/tests/nllb-original/resolve/main/{extra.name}").respond_with_data(tokenizer)
    fetcher = Fetcher(FetchSettings(allowed_networks=("127.0.0.1/32",), host_delay=0.0, obey_robots=False))
    client = HubClient(hub.url_for("/"), fetcher, 10**7)
    try:
        assert [f.name for f in client.files(model)][-1] == extra.name
        info = download_install(ModelStore(tmp_path / "models"), model, client)
    finally:
        client.close()
    assert info.kind == "nllb" and (info.path / extra.name).read_bytes() == tokenizer
    text = manual_steps(model, "https://hub.example", tmp_path / "models")
    assert "https://hub.example/tests/nllb-original/resolve/main/sentencepiece.bpe.model" in text
    assert "https://hub.example/tests/nllb-ct2/tree/main" in text
