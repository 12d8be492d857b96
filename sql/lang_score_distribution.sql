-- Language-ID distribution: for each fasttext top label, documents per 0.1-wide bucket of its probability
-- (`lang_score`), kept vs removed — shows how confident LID is on what the language step keeps and drops.
SELECT
    lang,
    least(floor(lang_score * 10) / 10, 0.9) AS lang_score_from,
    count(*) AS documents,
    count(*) FILTER (status = 'kept') AS kept,
    count(*) FILTER (removed_by = 'language') AS removed_by_language
FROM documents
WHERE lang IS NOT NULL
GROUP BY ALL
ORDER BY documents DESC, lang, lang_score_from
LIMIT 60;
