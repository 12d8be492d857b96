"""Registry of pipeline steps: the name used in `pipelines/*.yaml` → (config dataclass, datatrove block).

`needs_kiwi` steps read the document's morphological analysis, so the `analyze` step (or its alias `kiwi`) must
come before them (checked when the pipeline file is loaded); no other step runs an analyzer.
"""

from typing import NamedTuple

from kocorpus.analysis.analyzer import AnalyzeConfig, MorphAnalyzer
from kocorpus.extractors.extract import ExtractConfig, MainTextExtractor
from kocorpus.filters.content_type import ContentTypeConfig, ContentTypeFilter
from kocorpus.filters.fineweb_quality import FineWebQualityConfig, KoFineWebQualityFilter
from kocorpus.filters.gopher_quality import GopherQualityConfig, KoGopherQualityFilter
from kocorpus.filters.gopher_repetition import GopherRepetitionConfig, KoGopherRepetitionFilter
from kocorpus.filters.hangul_ratio import HangulRatioConfig, HangulRatioFilter
from kocorpus.filters.language import LanguageConfig, LanguageIdFilter
from kocorpus.filters.quality_classifier import QualityClassifierConfig, QualityClassifierFilter
from kocorpus.filters.spam import KoreanSpamFilter, SpamConfig
from kocorpus.filters.url_filter import UrlBlocklistFilter, UrlFilterConfig
from kocorpus.formatters.pii import KoreanPIIMasker, PIIConfig
from kocorpus.normalizers.boilerplate import BoilerplateConfig, BoilerplateStripper
from kocorpus.normalizers.text_normalizer import NormalizeConfig, TextNormalizer
from kocorpus.stats.morph_stats import MorphStats, MorphStatsConfig


class StepType(NamedTuple):
    config: type
    block: type
    needs_kiwi: bool = False
    """True for steps that read the analysis (Kiwi's or mecab-ko's) of the `analyze` step."""
    drops: bool = True
    """False for steps that never remove documents (no removed/ writer)."""
    rewrites: bool = False
    """True for steps that change `doc.text` (the Kiwi analysis is stale after them)."""
    writes_stats: bool = False
    """True for steps that write per-task files under OUT/stats (the block gets `stats_folder=`)."""
    analyzes: bool = False
    """True for the analysis step (`analyze`, or its earlier name `kiwi`)."""


STEP_TYPES: dict[str, StepType] = {
    "url_filter": StepType(UrlFilterConfig, UrlBlocklistFilter),
    "content_type": StepType(ContentTypeConfig, ContentTypeFilter),
    "extract": StepType(ExtractConfig, MainTextExtractor, rewrites=True),
    "normalize": StepType(NormalizeConfig, TextNormalizer, rewrites=True),
    "language": StepType(LanguageConfig, LanguageIdFilter),
    "hangul_ratio": StepType(HangulRatioConfig, HangulRatioFilter),
    "boilerplate": StepType(BoilerplateConfig, BoilerplateStripper, rewrites=True),
    "spam": StepType(SpamConfig, KoreanSpamFilter),
    "analyze": StepType(AnalyzeConfig, MorphAnalyzer, drops=False, analyzes=True),
    "kiwi": StepType(AnalyzeConfig, MorphAnalyzer, drops=False, analyzes=True),  # earlier name of `analyze`
    "morph_stats": StepType(MorphStatsConfig, MorphStats, needs_kiwi=True, drops=False, writes_stats=True),
    "gopher_repetition": StepType(GopherRepetitionConfig, KoGopherRepetitionFilter),
    "fineweb_quality": StepType(FineWebQualityConfig, KoFineWebQualityFilter),
    "gopher_quality": StepType(GopherQualityConfig, KoGopherQualityFilter),
    "quality_classifier": StepType(QualityClassifierConfig, QualityClassifierFilter, needs_kiwi=True),
    "pii": StepType(PIIConfig, KoreanPIIMasker, drops=False, rewrites=True),
}
