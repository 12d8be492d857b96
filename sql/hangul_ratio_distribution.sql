-- Hangul-ratio distribution: documents per 0.1-wide bucket of `hangul_ratio` (Hangul ÷ non-space characters),
-- kept vs removed, and which step removed the ones in each bucket — is the 0.3 threshold in the right place?
SELECT
    least(floor(hangul_ratio * 10) / 10, 0.9) AS hangul_ratio_from,
    count(*) FILTER (status = 'kept') AS kept,
    count(*) FILTER (status = 'removed') AS removed,
    count(*) FILTER (removed_by = 'hangul_ratio') AS removed_by_hangul_ratio,
    count(*) FILTER (removed_by = 'language') AS removed_by_language
FROM documents
WHERE hangul_ratio IS NOT NULL
GROUP BY 1
ORDER BY 1;
