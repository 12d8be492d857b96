-- Signal quantiles per filter, to tune thresholds: for each filter's signal, the 1/5/25/50/75/95/99th
-- percentiles among kept documents and among the documents that filter removed.
WITH s AS (
    SELECT status, removed_by, 'language' AS filter, 'lang_score' AS signal, lang_score::DOUBLE AS v FROM documents
    UNION ALL SELECT status, removed_by, 'hangul_ratio', 'hangul_ratio', hangul_ratio FROM documents
    UNION ALL SELECT status, removed_by, 'spam', 'spam_score', spam_score FROM documents
    UNION ALL SELECT status, removed_by, 'gopher_repetition', 'dup_line_frac', dup_line_frac FROM documents
    UNION ALL SELECT status, removed_by, 'fineweb_quality', 'line_end_ratio', line_end_ratio FROM documents
    UNION ALL SELECT status, removed_by, 'gopher_quality', 'n_eojeols', n_eojeols FROM documents
    UNION ALL SELECT status, removed_by, 'gopher_quality', 'avg_eojeol_len', avg_eojeol_len FROM documents
    UNION ALL SELECT status, removed_by, 'quality_classifier', 'quality_score', quality_score FROM documents
)
SELECT filter, signal, CASE WHEN status = 'kept' THEN 'kept' ELSE 'removed by ' || filter END AS docs,
       count(*) AS n,
       round(quantile_cont(v, 0.01), 3) AS p01, round(quantile_cont(v, 0.05), 3) AS p05,
       round(quantile_cont(v, 0.25), 3) AS p25, round(quantile_cont(v, 0.50), 3) AS p50,
       round(quantile_cont(v, 0.75), 3) AS p75, round(quantile_cont(v, 0.95), 3) AS p95,
       round(quantile_cont(v, 0.99), 3) AS p99
FROM s
WHERE v IS NOT NULL AND (status = 'kept' OR removed_by = filter)
GROUP BY ALL
ORDER BY filter, signal, docs;
