"""The one declared list of pipeline steps: what `ingest`, `run` and `batch` all run, in this order.

    read (decode + extract)  ->  documents (language, ...)  ->  prepare  ->  fold (writer)  ->  story hooks (writer)

The per-document part (read, the document steps, prepare) is pure: it touches no store, so an executor runs it in a
worker (ingest's extraction worker ahead of the writer, `batch`'s process pool or Ray actors) or in this process.
The writer part runs in the one process that holds the store: fold stores and folds each batch in one transaction,
then the story hooks bring the changed stories' derived parts up to date. Adding a per-document stage is adding one
Step to default_documents(); every command then runs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from newsfold.config import Config
from newsfold.fold.features.prepared import PrepareStep
from newsfold.fold.incremental.folder import Folder
from newsfold.language import LanguageStep
from newsfold.pipeline import Step, StoryHook

READ = "read"  # the first step's name: an input's bytes decoded and extracted into documents (reading.read_input)


def default_documents() -> list[Step]:
    """The per-document steps between extraction and folding, each a fresh instance."""
    return [LanguageStep()]


@dataclass(frozen=True, slots=True)
class Pipeline:
    """The steps of one pipeline, in order: per-document steps (pure, run by an executor wherever it likes), then
    the writer's fold and story hooks."""

    documents: tuple[Step, ...]
    prepare: PrepareStep
    fold: Folder
    hooks: tuple[StoryHook, ...] = ()

    @property
    def names(self) -> list[str]:
        """Every step's name, in the order they run."""
        hooks = [str(getattr(h, "stage", type(h).__name__)) for h in self.hooks]
        return [READ, *(s.name for s in self.documents), self.prepare.name, self.fold.name, *hooks]

    def with_documents(self, *steps: Step) -> Pipeline:
        """The same pipeline with steps run after its document steps."""
        return replace(self, documents=(*self.documents, *steps))

    def with_hooks(self, hooks: Sequence[StoryHook]) -> Pipeline:
        """The same pipeline with these story hooks (the composition root's choice)."""
        return replace(self, hooks=tuple(hooks))


def default_pipeline(
    config: Config | None = None, *, folder: Folder | None = None, hooks: Sequence[StoryHook] = ()
) -> Pipeline:
    """The pipeline every command runs: the default document steps, folding with config's fold settings (or the
    folder given), and the story hooks given (the command line's composition root chooses them: newsfold.hooks)."""
    if folder is None:
        folder = Folder.from_config(config) if config is not None else Folder()
    return Pipeline(tuple(default_documents()), PrepareStep(folder.embedder, folder.pivot), folder, tuple(hooks))
