"""Translation subcommands: `newsfold models list|install|remove` and `newsfold translate PATH --to LANG`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from newsfold.cli.common import EXIT_ERROR, EXIT_OK, db_option, error, get_config, progress
from newsfold.errors import InputError
from newsfold.extract import extract
from newsfold.ingest.fetch import ConnectionFailedError
from newsfold.ingest.files import read_file
from newsfold.language import LanguageStep
from newsfold.language.errors import ModelError, TranslationError
from newsfold.language.hub import HubClient, download_install, lookup, manual_steps
from newsfold.language.modelinfo import ModelInfo
from newsfold.language.models import ModelStore, download_help
from newsfold.language.reader import ModelReader
from newsfold.language.translate import TranslateSettings
from newsfold.store.db import Database


def _store(ctx: click.Context) -> ModelStore:
    """The models directory of the effective configuration."""
    return ModelStore(get_config(ctx).get_path("models.dir"))


@click.group("models")
def models_group() -> None:
    """Translation models: list, install from a file, a folder or the model hub by name, remove."""


@models_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line, one per model.")
@click.pass_context
def list_command(ctx: click.Context, as_json: bool) -> int:
    """List installed models with the languages they translate."""
    store = _store(ctx)
    models = store.list()
    for info in models:
        if as_json:
            click.echo(json.dumps({**info.to_json(), "path": str(info.path)}, ensure_ascii=False))
        else:
            click.echo(f"{info.name}  [{info.kind}]  {','.join(info.sources)} -> {','.join(info.targets)}")
    if not models and not as_json:
        click.echo(f"no translation models installed in {store.root}", err=True)
    return EXIT_OK


@models_group.command("install")
@click.argument("source_path", metavar="PATH_OR_NAME")
@click.option("--name", help="Install under this name (default: the folder's or package's name).")
@click.option("--from", "source", help="Source language, where the model's files do not say it.")
@click.option("--to", "target", help="Target language, where the model's files do not say it.")
@click.option("--force", is_flag=True, help="Replace an installed model of the same name.")
@click.pass_context
def install_command(  # noqa: PLR0913  click command: its parameters are its options
    ctx: click.Context, source_path: str, name: str | None, source: str | None, target: str | None, force: bool
) -> int:
    """Install a model from a CTranslate2 folder (OPUS-MT, NLLB), an .argosmodel file, or by name from the hub.

    By name (opus-mt-SRC-TGT, nllb-200-distilled-600M, or a hub repository OWNER/NAME) it downloads, only now that
    you ask; where the hub cannot be reached it says what to download and where to put it, and exits 1.
    """
    store = _store(ctx)
    path = Path(source_path).expanduser()
    if path.exists():
        info = store.install(path, name=name, source=source, target=target, force=force)
    else:
        found = _download(ctx, store, source_path, name=name, source=source, target=target, force=force)
        if found is None:
            return EXIT_ERROR
        info = found
    click.echo(f"installed {info.name} ({','.join(info.sources)} -> {','.join(info.targets)}) in {info.path}")
    return EXIT_OK


def _download(  # noqa: PLR0913  install_command's options passed on, keyword-only
    ctx: click.Context,
    store: ModelStore,
    wanted: str,
    *,
    name: str | None,
    source: str | None,
    target: str | None,
    force: bool,
) -> ModelInfo | None:
    """Download and install a model by name; None (instructions printed) when it is unknown or the hub unreachable."""
    model = lookup(wanted)
    if model is None:
        click.echo(download_help(wanted, store.root), err=True)
        return None
    client = HubClient.from_config(get_config(ctx))
    try:
        return download_install(
            store, model, client, name=name, source=source, target=target, force=force, progress=progress
        )
    except ConnectionFailedError as exc:
        error(f"cannot reach the model hub: {exc}")
        click.echo(manual_steps(model, client.base_url, store.root), err=True)
        click.echo(download_help(wanted, store.root), err=True)
        return None
    finally:
        client.close()


@models_group.command("remove")
@click.argument("name")
@click.pass_context
def remove_command(ctx: click.Context, name: str) -> int:
    """Remove an installed model."""
    info = _store(ctx).remove(name)
    click.echo(f"removed {info.name}")
    return EXIT_OK


@click.command("translate")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--to", "target", required=True, help="Language to translate into (ISO 639-1, e.g. en).")
@click.option("--from", "source", help="The documents' language (default: identified).")
@db_option
@click.option("--no-cache", is_flag=True, help="Do not use the translation cache of the database.")
@click.pass_context
def translate_command(  # noqa: PLR0913  click command: its parameters are its options
    ctx: click.Context, path: str, target: str, source: str | None, db_path: str | None, no_cache: bool
) -> int:
    """Translate the documents of one file (title and text) with the installed models; prints them."""
    config = get_config(ctx, db=db_path)
    documents = list(LanguageStep()(extract(read_file(Path(path)))))
    db_file = config.get_path("db")
    # the cache lives in the database named by --db/$NEWSFOLD_DB/the settings; none is created just for it
    use_cache = not no_cache and (db_path is not None or db_file.exists())
    db = Database(str(db_file) if use_cache else ":memory:")
    try:
        reader = ModelReader(db, ModelStore(config.get_path("models.dir")), TranslateSettings.from_config(config))
        status = EXIT_OK
        for document in documents:
            language = source or document.language
            translator = reader.translator(language, target)
            if translator is None:
                error(f"{path}: no installed model translates {language or 'an unknown language'} into {target}")
                status = EXIT_ERROR
                continue
            assert language is not None
            try:
                title, text = translator.translate([document.title or "", document.text], language, target)
            except (TranslationError, ModelError) as exc:
                raise InputError(path, str(exc)) from exc
            click.echo(f"# {title or '(untitled)'}")
            if language == target:
                click.echo(f"[original, already in {target}]")
            else:
                click.echo(f"[machine translation {language} -> {target} by {translator.name}]")
            click.echo()
            click.echo(text)
            click.echo()
    finally:
        db.close()
    return status


COMMANDS = [models_group, translate_command]
