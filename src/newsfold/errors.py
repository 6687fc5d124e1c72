"""Domain exceptions: each names the input and the reason in one line."""

from __future__ import annotations


class NewsfoldError(Exception):
    """Base of every error newsfold reports to a user."""


class InputError(NewsfoldError):
    """An input could not be read or understood."""

    def __init__(self, location: str, reason: str) -> None:
        """Keep the input's location and the reason apart, for one-line reports."""
        super().__init__(f"{location}: {reason}")
        self.location = location
        self.reason = reason

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        """Pickle as its location and reason (an ingest's extraction worker sends its errors back)."""
        return (type(self), (self.location, self.reason))


class StoreError(NewsfoldError):
    """The database could not be opened, migrated or written."""


class ConfigError(NewsfoldError):
    """A setting is unknown or has a value of the wrong kind."""


class NotFoundError(NewsfoldError):
    """A story, article or other item does not exist."""


class GoneError(NotFoundError):
    """An item that existed and was removed (a story whose every article was taken down): answered with 410."""
