-- Length histograms, kept vs removed: documents per length bucket (characters of the text as written, buckets
-- doubling from 64), so you can see whether a step removes mostly short pages.
SELECT
    CASE WHEN n_chars < 64 THEN '<64'
         ELSE (64 * pow(2, floor(log2(n_chars / 64))))::BIGINT || '–' || (128 * pow(2, floor(log2(n_chars / 64))))::BIGINT - 1
    END AS chars,
    min(n_chars) AS sort_key,
    count(*) FILTER (status = 'kept') AS kept,
    count(*) FILTER (status = 'removed') AS removed,
    round(avg(n_eojeol) FILTER (status = 'kept'), 1) AS kept_mean_eojeol
FROM documents
WHERE status <> 'rejected'
GROUP BY 1
ORDER BY sort_key;
