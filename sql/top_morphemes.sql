-- Top morphemes: the 50 most frequent (form, tag) pairs over the documents that passed every filter step, with
-- how many documents contain each (docs) and their frequency over everything Kiwi analysed.
SELECT form, tag, filtered_count AS count, filtered_docs AS docs, count AS count_all_analysed
FROM morphemes
WHERE filtered_count > 0
ORDER BY filtered_count DESC, form
LIMIT 50;
