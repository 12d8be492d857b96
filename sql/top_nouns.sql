-- Top nouns: the 50 most frequent common and proper nouns (NNG, NNP) of the documents that passed every filter
-- step, with document frequency — a quick look at what the corpus is about.
SELECT form, tag, filtered_count AS count, filtered_docs AS docs,
       round(filtered_docs / (SELECT count(*) FROM documents WHERE status = 'kept'), 3) AS docs_share_of_kept
FROM morphemes
WHERE tag IN ('NNG', 'NNP') AND filtered_count > 0
ORDER BY filtered_count DESC, form
LIMIT 50;
