-- Rejected records: every malformed input record with its file, line and the reader's error, grouped by error
-- kind first — what to fix upstream.
SELECT regexp_extract(reason, '^[^:(]+') AS error_kind, file, line, reason AS error, snippet
FROM documents
WHERE status = 'rejected'
ORDER BY error_kind, file, line;
