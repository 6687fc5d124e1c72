"""Translation speed: words and sentences per second for one CTranslate2 model, CPU and (when present) GPU.

Sweeps batch sizes (and CPU precisions) over English Wikinews paragraphs from ../shared/data/wikinews-en, through
newsfold's whole path (install, sentence splitting, tokenizing, batching, translating, detokenizing), and compares
it in the same run with the anchor: CTranslate2's translate_batch on the same sentences already tokenized (the
ratio is newsfold's overhead). With --langid, the language-id table of benchmarks/langid.py follows.

    python benchmarks/translate.py [--model DIR --from en --to de] [--articles 40] [--batch-sizes 1,8,32]

Without --model it measures the tiny random model of tests/fixtures (plumbing only: its numbers say nothing about
a real model). Random weights rarely emit the end token, so every output runs to the length cap (1.5x the input
+ 10 tokens): real models, which stop, are faster than a random model of the same shape.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "src"))

from newsfold.language.modelinfo import ModelInfo  # noqa: E402
from newsfold.language.models import ModelStore  # noqa: E402
from newsfold.language.translate import (  # noqa: E402
    CTranslate2Translator,
    TranslateSettings,
    cpu_threads,
    decoding_limit,
    input_limit,
)
from newsfold.text.sentences import split_paragraphs, split_sentences  # noqa: E402

TINY = ROOT / "tests" / "fixtures" / "tiny-marian-xx-en"


def paragraphs(articles: int) -> list[str]:
    """Paragraphs of the first Wikinews articles (English), each a text to translate."""
    out: list[str] = []
    csv.field_size_limit(10**7)
    for path in sorted((DATA / "wikinews-en").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                out += split_paragraphs(row["text"].replace("\n", "\n\n"))[:12]
                articles -= 1
                if articles <= 0:
                    return out
    return out


def raw_ctranslate2(info: ModelInfo, texts: list[str], settings: TranslateSettings, repeat: int) -> float:
    """Seconds CTranslate2 alone takes for the same sentences, tokenized beforehand (the anchor)."""
    import ctranslate2  # noqa: PLC0415  ctranslate2 is the optional [translate] extra
    import sentencepiece  # noqa: PLC0415  the [translate] extra's tokenizer, checked with ctranslate2

    sp = sentencepiece.SentencePieceProcessor(model_file=str(info.path / info.source_spm))
    sentences = [s for text in texts for s in split_sentences(text)]
    tokens = [[*sp.encode(s, out_type=str)[: input_limit(info)], "</s>"] for s in sentences]
    translator = ctranslate2.Translator(
        str(info.model_dir),
        device=settings.device,
        compute_type=settings.compute_type,
        intra_threads=cpu_threads(settings.threads),
    )
    longest = max(len(t) for t in tokens)
    options = {"max_batch_size": settings.batch_size, "beam_size": settings.beam_size}
    translator.translate_batch(tokens[:4], max_decoding_length=8, **options)  # warm-up
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        translator.translate_batch(tokens, max_decoding_length=decoding_limit(info, longest), **options)
        best = min(best, time.perf_counter() - started)
    return best


def newsfold_path(
    info: ModelInfo, texts: list[str], settings: TranslateSettings, pair: tuple[str, str], repeat: int
) -> float:
    """Best seconds of newsfold's translator for the texts (the model loaded beforehand)."""
    translator = CTranslate2Translator(info, settings)
    translator.translate(texts[:2], *pair)  # warm-up (loads the model)
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        translator.translate(texts, *pair)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    """Install the model in a temporary store, sweep devices, precisions and batch sizes, print a table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=TINY, help="CTranslate2 model folder (default: the tiny one)")
    parser.add_argument("--from", dest="source", default="en")
    parser.add_argument("--to", dest="target", default="de")
    parser.add_argument("--articles", type=int, default=40, help="Wikinews articles (up to 12 paragraphs each)")
    parser.add_argument("--batch-sizes", default="1,8,32")
    parser.add_argument("--compute-types", default="int8,float32", help="CPU precisions to compare")
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (0: the cores this process may use)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best counts")
    parser.add_argument("--langid", action="store_true", help="also print the language-id table (langid.py)")
    args = parser.parse_args()
    if not (DATA / "wikinews-en").exists():
        print(f"development data not found under {DATA}: see ../shared/data/README.md", file=sys.stderr)
        return 1
    import ctranslate2  # noqa: PLC0415  ctranslate2 is the optional [translate] extra

    texts = paragraphs(args.articles)
    words = sum(len(t.split()) for t in texts)
    sentences = sum(len(split_sentences(t)) for t in texts)
    runs = [("cpu", ct) for ct in args.compute_types.split(",")]
    if ctranslate2.get_cuda_device_count() > 0:
        runs += [("cuda", "float16"), ("cuda", "int8_float16")]
    with tempfile.TemporaryDirectory() as tmp:
        store = ModelStore(Path(tmp))
        info = store.install(args.model, name="bench", source=args.source, target=args.target)
        threads = cpu_threads(args.threads)
        print(
            f"model {args.model.name}: {len(texts)} paragraphs, {sentences} sentences, {words:,} words, "
            f"{threads} CPU threads"
        )
        print("| device | precision | batch | words/s | sentences/s | CTranslate2 alone words/s | newsfold / alone |")
        print("|---|---|---:|---:|---:|---:|---:|")
        for device, compute_type in runs:
            for batch in (int(b) for b in args.batch_sizes.split(",")):
                settings = TranslateSettings(device, compute_type, batch, beam_size=1, threads=args.threads)
                ours = newsfold_path(info, texts, settings, (args.source, args.target), args.repeat)
                alone = raw_ctranslate2(info, texts, settings, args.repeat)
                print(
                    f"| {device} | {compute_type} | {batch} | {words / ours:,.0f} | {sentences / ours:,.1f} "
                    f"| {words / alone:,.0f} | {alone / ours:.2f} |",
                    flush=True,
                )
    if args.langid:
        sys.argv = [sys.argv[0], "--no-lingua"]
        sys.path.insert(0, str(ROOT / "benchmarks"))
        import langid  # noqa: PLC0415  benchmarks/langid.py, on the path only for --langid

        return int(langid.main())
    return 0


if __name__ == "__main__":
    sys.exit(main())
