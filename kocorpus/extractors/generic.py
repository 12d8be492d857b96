"""Generic main-text extractors (no site rule matched): resiliparse, trafilatura, jusText.

Each takes a parsed, already cleaned resiliparse tree (the `strip_default` selectors removed) and the page URL and
returns the main text with one paragraph per line. trafilatura and jusText get the cleaned tree serialized back
to HTML; none of them decodes bytes (the reader did, with kocorpus.text.decode).
"""

from kocorpus.extractors.site_rules import tidy_lines

EXTRACTORS = ("resiliparse", "trafilatura", "justext")


def resiliparse_text(tree, url: str, favor_precision: bool = True) -> str:
    """resiliparse's main-content heuristics (lexbor DOM; ~5–9× faster than trafilatura)."""
    from resiliparse.extract.html2text import extract_plain_text

    text = extract_plain_text(
        tree,
        preserve_formatting=True,
        main_content=True,
        list_bullets=False,
        alt_texts=False,
        comments=True,  # comment sections go by the strip_default selectors (a "has-comments" wrapper stays)
        hidden_elements=True,  # Bootstrap "hidden-xs" wrappers are visible on desktops; hidden classes: strip_default
    )
    return tidy_lines(text)


def trafilatura_text(tree, url: str, favor_precision: bool = True) -> str:
    """trafilatura.extract with comments off and its cross-document `deduplicate` off (results do not depend on
    shard order); `favor_precision` as in FineWeb's set-up."""
    from trafilatura import extract

    text = extract(
        tree.document.html,
        url=url or None,
        favor_precision=favor_precision,
        include_comments=False,
        include_tables=True,
        include_images=False,
        deduplicate=False,
    )
    return tidy_lines(text or "")


def justext_text(tree, url: str, favor_precision: bool = True) -> str:
    """jusText paragraphs classified good (Korean stoplist)."""
    import justext

    paragraphs = justext.justext(tree.document.html, _korean_stoplist())
    return tidy_lines("\n".join(p.text for p in paragraphs if not p.is_boilerplate))


_STOPLIST: frozenset[str] | None = None


def _korean_stoplist() -> frozenset[str]:
    global _STOPLIST
    if _STOPLIST is None:
        import justext

        _STOPLIST = justext.get_stoplist("Korean")
    return _STOPLIST


GENERIC = {"resiliparse": resiliparse_text, "trafilatura": trafilatura_text, "justext": justext_text}
