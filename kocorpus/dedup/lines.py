"""Corpus-wide line dedup on datatrove's SentenceDedup (C4-style, lines instead of sentences).

Stage 1 hashes every line of at least `min_line_chars` characters (after datatrove's `simplify_text`: lower
case, digits → 0, punctuation removed), stage 2 finds repeats across the whole corpus, stage 3 drops every
occurrence of a repeated line but the first (lowest task, then position) and records `dup_lines_removed`.
A document left with fewer than `min_doc_chars` non-space characters is removed (`removed/line_dedup`,
reason `short_after_line_dedup`). Which copy of a line survives depends on the file order, so kept texts can
differ with the task count; the number of removed lines does not.
"""

from dataclasses import dataclass

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.dedup.sentence_dedup import SentDedupConfig, SentenceDedupFilter, SentenceDedupSignature
from datatrove.utils.text import simplify_text
from datatrove.utils.typeshelper import ExtensionHelperSD, StatHints

from kocorpus.config import ConfigError

STEP = "line_dedup"
MAX_LINES = 65535  # datatrove stores the line index as uint16; later lines are not deduplicated


@dataclass(kw_only=True)
class LineDedupConfig:
    """`dedup.lines`: remove lines repeated across the corpus (boilerplate lines shared by many pages)."""

    enabled: bool = False
    min_line_chars: int = 10
    """Lines shorter than this (characters after simplify_text) are never removed: short lines such as '사진'
    or '1.' repeat by chance."""
    min_doc_chars: int = 50
    """Remove a document that keeps fewer non-whitespace characters than this after its repeated lines go."""
    finder_workers: int = 1
    """Tasks of the find-duplicates stage (hash-range split)."""

    def __post_init__(self) -> None:
        for key in ("min_line_chars", "min_doc_chars", "finder_workers"):
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, int) or value < (1 if key == "finder_workers" else 0):
                raise ConfigError(f"{key}: {value!r} must be a non-negative integer (finder_workers ≥ 1)")

    def to_datatrove(self) -> SentDedupConfig:
        return SentDedupConfig(n_sentences=1, split_sentences=False, min_doc_words=0, min_num_sentences=0)


def _tokenizer():
    from datatrove.utils.word_tokenizers import WhitespaceTokenizer

    return WhitespaceTokenizer()  # never used for splitting (split_sentences=False); avoids loading a language


class LineDedupSignature(SentenceDedupSignature):
    """Hashes of a document's lines that are long enough to be boilerplate rather than chance repeats."""

    name = "💥 line-dedup signatures"

    def __init__(self, output_folder: str, cfg: LineDedupConfig):
        super().__init__(output_folder, finder_workers=cfg.finder_workers, config=cfg.to_datatrove(),
                         language=_tokenizer())  # fmt: skip
        self.min_line_chars = cfg.min_line_chars

    def get_hashes(self, doc: Document, doc_idx: int) -> list[tuple[int, int, int]]:
        hashes = []
        for line_idx, line in enumerate(doc.text.splitlines()[:MAX_LINES]):
            key = simplify_text(line, self.config.norm_config)
            if len(key.replace(" ", "")) >= max(self.min_line_chars, 1):
                hashes.append((self.hash_fc(key), doc_idx, line_idx))
        return hashes


class LineDedupFilter(SentenceDedupFilter):
    """Drops repeated lines found by stage 2; records `dup_lines_removed`; removes documents left too short."""

    name = "💥 line-dedup filter"

    def __init__(self, data_folder: str, cfg: LineDedupConfig, exclusion_writer=None):
        super().__init__(data_folder, config=cfg.to_datatrove(), exclusion_writer=exclusion_writer,
                         language=_tokenizer())  # fmt: skip
        self.min_doc_chars = cfg.min_doc_chars

    def _duplicates(self, rank: int):
        import numpy as np

        folders = self.data_folder.list_files(include_directories=True, recursive=False)
        files = [f"{d}/{rank:05d}{ExtensionHelperSD.stage_2_duplicates}" for d in folders]
        arrays = [self.read_duplicates(f) for f in self.data_folder.open_files(
            [f for f in files if self.data_folder.exists(f)])]  # fmt: skip
        dups = np.concatenate(arrays) if arrays else np.array([], dtype=[("doc", "<u4"), ("sent", "<u2")])
        dups.sort()
        by_doc: dict[int, list[int]] = {}
        for doc_idx, line_idx in dups.tolist():
            by_doc.setdefault(doc_idx, []).append(line_idx)
        return by_doc

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        by_doc = self._duplicates(rank)
        with self.exclusion_writer if self.exclusion_writer else _null() as writer:
            for doc_idx, doc in enumerate(data):
                self.stat_update(StatHints.total)
                with self.stats.time_stats:
                    drop = set(by_doc.get(doc_idx, ()))
                    original, lines = doc.text, doc.text.splitlines()
                    kept = [line for i, line in enumerate(lines) if i not in drop]
                    removed = len(lines) - len(kept)
                    doc.metadata["dup_lines_removed"] = removed
                    self.stat_update("lines_removed", value=removed)
                    if removed:
                        doc.text = "\n".join(kept).strip("\n")
                    if removed and len("".join(doc.text.split())) < self.min_doc_chars:
                        self.stat_update(StatHints.dropped)
                        doc.metadata["filter_reason"] = "short_after_line_dedup"
                        doc.text = original  # removed/ shows the document as it arrived
                        if writer:
                            writer.write(doc, rank=rank)
                        continue
                self.stat_update(StatHints.forwarded)
                self.update_doc_stats(doc)
                yield doc


def _null():
    import contextlib

    return contextlib.nullcontext()
