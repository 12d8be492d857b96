"""Registry of pipeline steps: the name used in `pipelines/*.yaml` → (config dataclass, datatrove block)."""

from typing import NamedTuple

from kocorpus.filters.hangul_ratio import HangulRatioConfig, HangulRatioFilter
from kocorpus.filters.language import LanguageConfig, LanguageIdFilter
from kocorpus.normalizers.text_normalizer import NormalizeConfig, TextNormalizer


class StepType(NamedTuple):
    config: type
    block: type


STEP_TYPES: dict[str, StepType] = {
    "normalize": StepType(NormalizeConfig, TextNormalizer),
    "language": StepType(LanguageConfig, LanguageIdFilter),
    "hangul_ratio": StepType(HangulRatioConfig, HangulRatioFilter),
}
