-- Samples of removed documents per reason: 3 documents for every (step, reason), with their snippet and the
-- main signals — read them before trusting a threshold. Deterministic (ordered by a hash of the id).
SELECT removed_by, reason, id, source, n_chars, hangul_ratio, lang, lang_score, spam_score, quality_score,
       duplicate_of, replace(snippet, chr(10), ' ⏎ ') AS snippet
FROM (
    SELECT *, row_number() OVER (PARTITION BY removed_by, reason ORDER BY hash(id)) AS k
    FROM documents WHERE status = 'removed'
)
WHERE k <= 3
ORDER BY removed_by, reason, k;
