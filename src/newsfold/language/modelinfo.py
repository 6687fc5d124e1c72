"""What an installed translation model is (its manifest's values) and the language codes NLLB models use."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

ModelKind = Literal["marian", "nllb", "argos"]
DEFAULT_MAX_TOKENS = 256  # positions a model may use (OPUS-MT has 512, NLLB 1024): inputs get half, outputs the rest

# NLLB's FLORES-200 codes for ISO 639-1 languages newsfold meets in news.
FLORES: dict[str, str] = {
    "af": "afr_Latn", "am": "amh_Ethi", "ar": "arb_Arab", "az": "azj_Latn", "be": "bel_Cyrl", "bg": "bul_Cyrl",
    "bn": "ben_Beng", "bs": "bos_Latn", "ca": "cat_Latn", "cs": "ces_Latn", "cy": "cym_Latn", "da": "dan_Latn",
    "de": "deu_Latn", "el": "ell_Grek", "en": "eng_Latn", "es": "spa_Latn", "et": "est_Latn", "eu": "eus_Latn",
    "fa": "pes_Arab", "fi": "fin_Latn", "fr": "fra_Latn", "ga": "gle_Latn", "gl": "glg_Latn", "gu": "guj_Gujr",
    "ha": "hau_Latn", "he": "heb_Hebr", "hi": "hin_Deva", "hr": "hrv_Latn", "hu": "hun_Latn", "hy": "hye_Armn",
    "id": "ind_Latn", "is": "isl_Latn", "it": "ita_Latn", "ja": "jpn_Jpan", "ka": "kat_Geor", "kk": "kaz_Cyrl",
    "km": "khm_Khmr", "kn": "kan_Knda", "ko": "kor_Hang", "ky": "kir_Cyrl", "lo": "lao_Laoo", "lt": "lit_Latn",
    "lv": "lvs_Latn", "mk": "mkd_Cyrl", "ml": "mal_Mlym", "mn": "khk_Cyrl", "mr": "mar_Deva", "ms": "zsm_Latn",
    "my": "mya_Mymr", "ne": "npi_Deva", "nl": "nld_Latn", "no": "nob_Latn", "pa": "pan_Guru", "pl": "pol_Latn",
    "ps": "pbt_Arab", "pt": "por_Latn", "ro": "ron_Latn", "ru": "rus_Cyrl", "si": "sin_Sinh", "sk": "slk_Latn",
    "sl": "slv_Latn", "so": "som_Latn", "sq": "als_Latn", "sr": "srp_Cyrl", "sv": "swe_Latn", "sw": "swh_Latn",
    "ta": "tam_Taml", "te": "tel_Telu", "th": "tha_Thai", "tl": "tgl_Latn", "tr": "tur_Latn", "uk": "ukr_Cyrl",
    "ur": "urd_Arab", "uz": "uzn_Latn", "vi": "vie_Latn", "yo": "yor_Latn", "zh": "zho_Hans", "zu": "zul_Latn",
}  # fmt: skip


@dataclass(slots=True)
class ModelInfo:
    """One installed model: what it is, where it lives and which pairs it translates."""

    name: str
    kind: ModelKind
    sources: list[str]
    targets: list[str]
    source_spm: str
    target_spm: str
    path: Path = field(default_factory=Path)
    max_tokens: int = DEFAULT_MAX_TOKENS
    installed: str | None = None
    origin: str | None = None

    def translates(self, source: str, target: str) -> bool:
        """Whether the model translates source into target."""
        return source != target and source in self.sources and target in self.targets

    @property
    def model_dir(self) -> Path:
        """The folder holding the CTranslate2 model (model.bin)."""
        return self.path / "model" if (self.path / "model" / "model.bin").exists() else self.path

    def to_json(self) -> dict[str, object]:
        """The manifest's content."""
        data = asdict(self)
        data.pop("path")
        return data
