"""The fast path's container choice: the packaged model, its checks, and a story the hand-set rule cut short."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from newsfold.extract.containers import FEATURES, Candidate, ContainerModel, ContainerModelError, HandSetRule
from newsfold.extract.dispatch import Extractor
from newsfold.model import Origin, RawInput

SENTENCES = [
    "The department released ten floors of the federal office building after staff returned to the office.",
    "Officials said the decision followed months of internal planning and several rounds of consultations.",
    "A spokesperson confirmed the release was completed by the end of January, ahead of the original date.",
    "Documents obtained by the newspaper show the plan was revised twice before the final approval.",
    "The union said it had not been consulted about the changes and asked for the documents to be shared.",
    "Managers were told to prepare shared workstations for teams that come in on different days.",
    "The auditor general had warned that many federal offices stood largely empty for most of the week.",
    "Critics said the government should publish the full cost of the moves and of the leases it keeps.",
    "The minister told reporters on Tuesday that more buildings would be reviewed in the coming months.",
    "Employees interviewed said they had learned of the decision from an email sent late on a Friday.",
    "Two other departments said they would follow the same plan once their own leases come up for renewal.",
    "The opposition asked the committee to call the deputy minister to explain the timing of the decision.",
]


def _page() -> bytes:
    """An article split over two sibling blocks, the first also holding a long subscription notice."""
    notice = " ".join(f"<span>Subscribe now to read the latest news in your city and across the country {i}.</span>"
                      for i in range(24))  # fmt: skip
    first = "".join(f"<section class='content-element'><p>{s}</p></section>" for s in SENTENCES[:3])
    second = "".join(f"<section class='content-element'><span>Article content</span><p>{s}</p></section>"
                     for s in SENTENCES[3:])  # fmt: skip
    links = "".join(f"<li><a href='/s/{i}'>Section {i}</a></li>" for i in range(30))
    return (
        "<html><head><title>Federal offices released</title></head><body>"
        f"<nav><ul>{links}</ul></nav><main><article class='story-article'>"
        "<header><h1>Federal offices released</h1></header>"
        f"<div class='story-block'><div class='block-content'><div class='article-block subscriber-box'>{notice}</div>"
        f"{first}</div></div>"
        f"<div class='story-block'><div class='block-content'>{second}</div></div>"
        "</article></main><footer><p>Copyright 2026 The Newspaper, all rights reserved, every one.</p></footer>"
        "</body></html>"
    ).encode()


def _body(extractor: Extractor) -> str:
    """The page's extracted text."""
    raw = RawInput(Origin("split.html"), _page(), media_type="text/html", url="https://news.example/a")
    return "\n".join(p.text for d in extractor(raw) for p in d.paragraphs)


def test_a_story_split_over_two_blocks_is_read_whole() -> None:
    """Every paragraph of both blocks is read, and the subscription notice is not the article."""
    text = _body(Extractor())
    assert all(s in text for s in SENTENCES), text


def test_the_hand_set_rule_cut_it_short() -> None:
    """The rule the model replaced read only one block of the same page (what the model is there to fix)."""
    text = _body(Extractor(containers=HandSetRule()))
    assert not all(s in text for s in SENTENCES)


def test_the_packaged_model_fits_the_features() -> None:
    """The shipped weights load and score candidates."""
    model = ContainerModel.packaged()
    candidates = [Candidate(1000.0, 1200.0, 8, "div", True, False, 0, 1), Candidate(1000.0, 9000.0, 8, "body",
                                                                                   False, False, 1, 0)]  # fmt: skip
    assert model.choose(candidates, 9000, 8) == 0


@pytest.mark.parametrize(
    ("change", "reason"),
    [({"features": ["x"]}, "do not match"), ({"scale": [0.0] * len(FEATURES)}, "positive scales"),
     ({"coef": "nope"}, "container model")],
)  # fmt: skip
def test_a_malformed_model_is_a_clear_error(change: dict[str, object], reason: str) -> None:
    """Weights that do not fit say so in one line."""

    weights = json.loads((resources.files("newsfold") / "data" / "containers.json").read_text("utf-8"))
    weights.update(change)
    with pytest.raises(ContainerModelError, match=reason):
        ContainerModel(weights)
