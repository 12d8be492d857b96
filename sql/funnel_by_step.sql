-- Funnel by step: how many input records each step removed (and why), how many were rejected as malformed,
-- and how many were kept; shares are of all input records. Every input record is exactly one row.
SELECT
    status,
    coalesce(removed_by, '') AS step,
    coalesce(reason, '') AS reason,
    count(*) AS documents,
    round(100 * count(*) / sum(count(*)) OVER (), 2) AS pct_of_read,
    sum(n_chars) AS characters
FROM documents
GROUP BY status, removed_by, reason
ORDER BY CASE status WHEN 'rejected' THEN 0 WHEN 'removed' THEN 1 ELSE 2 END, step, documents DESC;
