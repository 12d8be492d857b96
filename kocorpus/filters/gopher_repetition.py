"""Gopher repetition filter on Kiwi word units (datatrove's GopherRepetitionFilter, FineWeb-2 kor_Hang values)."""

from dataclasses import dataclass, field

from datatrove.data import Document
from datatrove.pipeline.filters.gopher_repetition_filter import GopherRepetitionFilter, find_duplicates
from datatrove.pipeline.writers.disk_base import DiskWriter

from kocorpus.analysis.kiwi_analysis import AnalysisWords, get_analysis
from kocorpus.config import validate_range


@dataclass(kw_only=True)
class GopherRepetitionConfig:
    """Repetition thresholds (fractions 0–1; null disables one); defaults from FineWeb-2 `kor_Hang`."""

    enabled: bool = True
    dup_line_frac: float | None = 0.374
    """Maximum fraction of lines that repeat an earlier line."""
    dup_para_frac: float | None = None
    """FineWeb-2 disables the paragraph and line-character rules (null); set a fraction to enable."""
    dup_line_char_frac: float | None = None
    dup_para_char_frac: float | None = None
    top_n_grams: dict[int, float] = field(default_factory=lambda: {2: 0.282, 3: 0.228, 4: 0.185})
    """n → maximum fraction of characters covered by the most frequent word n-gram."""
    dup_n_grams: dict[int, float] = field(
        default_factory=lambda: {5: 0.201, 6: 0.184, 7: 0.168, 8: 0.154, 9: 0.14, 10: 0.127}
    )
    """n → maximum fraction of characters in repeated word n-grams."""

    def __post_init__(self) -> None:
        for key in ("dup_line_frac", "dup_para_frac", "dup_line_char_frac", "dup_para_char_frac"):
            if getattr(self, key) is not None:
                validate_range(key, getattr(self, key), 0.0, 1.0)
        for key in ("top_n_grams", "dup_n_grams"):
            for n, frac in getattr(self, key).items():
                validate_range(f"{key}.{n}", frac, 0.0, 1.0)
                validate_range(f"{key}.{n} (n)", n, 1, 100)


class KoGopherRepetitionFilter(GopherRepetitionFilter):
    """datatrove's Gopher repetition rules with Kiwi morpheme spans as words. Records `dup_line_frac`; reasons are datatrove's (`dup_line_frac`, `top_2_gram`, `duplicated_5_n_grams` …)."""

    name = "👯 Gopher repetition (Kiwi)"

    def __init__(self, config: GopherRepetitionConfig | None = None, exclusion_writer: DiskWriter | None = None):
        config = config or GopherRepetitionConfig()
        super().__init__(
            dup_line_frac=config.dup_line_frac,
            dup_para_frac=config.dup_para_frac or 0,  # datatrove: 0 disables a rule
            dup_line_char_frac=config.dup_line_char_frac or 0,
            dup_para_char_frac=config.dup_para_char_frac or 0,
            top_n_grams=tuple(sorted(config.top_n_grams.items())),
            dup_n_grams=tuple(sorted(config.dup_n_grams.items())),
            exclusion_writer=exclusion_writer,
            language=AnalysisWords(),
        )
        self.config = config

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        analysis = get_analysis(doc)
        self.language.bind(doc.text, analysis)
        lines = self._line_splitter.split(doc.text)
        doc.metadata["dup_line_frac"] = find_duplicates(lines)[0] / len(lines) if lines else 0.0
        return super().filter(doc)
