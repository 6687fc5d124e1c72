"""Executors: the same steps run in-process, in a local process pool, or on a Ray cluster."""

from newsfold.executors.base import Executor
from newsfold.executors.local import LocalExecutor

__all__ = ["Executor", "LocalExecutor"]
