"""Deeply nested pages: resiliparse's main-content heuristics take time quadratic in the nesting depth, inside C
code that a SIGALRM time limit cannot interrupt (20,000 unclosed `<div>`: ~20 s; 200,000: hours — the task hangs).
Such pages (unclosed `<div>` / `<font>` per line on old board software) are recognised cheaply and extracted
without main-content detection, which is linear (200,000 levels: 0.2 s)."""

MAX_DEPTH = 1000
"""Element nesting depth above which a page is extracted as plain text (browsers' layout engines cap near 500)."""


def too_deep(tree, limit: int = MAX_DEPTH) -> bool:
    """True when the parsed `tree` nests elements deeper than `limit` along the first-child or last-child path from
    the document or from one of the body's first 64 children (where unclosed tags put the chain: each next element
    lands inside the previous one, after a header, before a footer). O(depth × children), well under 1 ms."""
    starts = [(tree.document, "first_element_child", 0)]
    child = tree.body.first_element_child if tree.body is not None else None
    while child is not None and len(starts) <= 64:
        starts.append((child, "last_element_child", 2))
        child = child.next_element_sibling
    starts.append((tree.document, "last_element_child", 0))
    for node, step, depth in starts:
        while node is not None:
            depth += 1
            if depth > limit:
                return True
            node = getattr(node, step)
    return False


def plain_text(tree) -> str:
    """All visible text of the page, one block per line (no main-content detection: linear in the page size)."""
    from resiliparse.extract.html2text import extract_plain_text

    from kocorpus.extractors.site_rules import tidy_lines

    return tidy_lines(
        extract_plain_text(tree, preserve_formatting=True, main_content=False, list_bullets=False, alt_texts=False)
    )
