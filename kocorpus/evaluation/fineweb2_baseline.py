"""FineWeb-2's Korean rules as shipped, for comparison: datatrove's Gopher/FineWeb filters with the `kor_Hang`
thresholds on Kiwi units (the surface spans of datatrove's KiwiTokenizer, taken from the document's one Kiwi
analysis). This is what kocorpus ran before the eojeol rules; `benchmarks/quality_eval.py` reports both."""

from datatrove.data import Document
from datatrove.pipeline.filters.fineweb_quality_filter import FineWebQualityFilter
from datatrove.pipeline.filters.gopher_quality_filter import GopherQualityFilter
from datatrove.pipeline.filters.gopher_repetition_filter import GopherRepetitionFilter
from datatrove.utils.text import TERMINAL_PUNCTUATION

from kocorpus.analysis.kiwi_analysis import ANALYSIS_KEY, AnalysisWords, get_analysis

KOR_HANG_STOPWORDS = "의 다 이 는 에 을 한 년 하 은 를 했 고 에서 가 있 으로 인 월 로 되".split()


class _OnKiwiUnits:
    """Mixin: bind the document's Kiwi analysis (analysing it if no `kiwi` step ran yet) before datatrove's rule."""

    analyzer = None

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        if doc.metadata.get(ANALYSIS_KEY) is None:
            if _OnKiwiUnits.analyzer is None:
                from kocorpus.analysis.kiwi_analyzer import KiwiAnalyzer, KiwiConfig

                _OnKiwiUnits.analyzer = KiwiAnalyzer(KiwiConfig())
            doc.metadata[ANALYSIS_KEY] = _OnKiwiUnits.analyzer.analyze([doc.text])[0]
        self.language.bind(doc.text, get_analysis(doc))
        return super().filter(doc)


class FW2GopherRepetition(_OnKiwiUnits, GopherRepetitionFilter):
    def __init__(self) -> None:
        super().__init__(
            dup_line_frac=0.374, dup_para_frac=0, dup_line_char_frac=0, dup_para_char_frac=0,
            top_n_grams=((2, 0.282), (3, 0.228), (4, 0.185)),
            dup_n_grams=((5, 0.201), (6, 0.184), (7, 0.168), (8, 0.154), (9, 0.14), (10, 0.127)),
            language=AnalysisWords(),
        )  # fmt: skip


class FW2FineWebQuality(_OnKiwiUnits, FineWebQualityFilter):
    def __init__(self) -> None:
        super().__init__(
            line_punct_thr=0.062, stop_chars=tuple(TERMINAL_PUNCTUATION) + ("다", "요", "죠", "까", "네"),
            short_line_thr=999, char_duplicates_ratio=0.1, new_line_ratio=0.196, language=AnalysisWords(),
        )  # fmt: skip


class FW2GopherQuality(_OnKiwiUnits, GopherQualityFilter):
    def __init__(self) -> None:
        super().__init__(
            min_doc_words=50, max_doc_words=100_000, min_avg_word_length=1, max_avg_word_length=6,
            max_non_alpha_words_ratio=0.791, min_stop_words=2, stop_words=KOR_HANG_STOPWORDS, language=AnalysisWords(),
        )  # fmt: skip


BASELINE_BLOCKS = {
    "gopher_repetition": FW2GopherRepetition,
    "fineweb_quality": FW2FineWebQuality,
    "gopher_quality": FW2GopherQuality,
}
