-- Funnel by source: for each input source (the `source` field, else the input file's top directory), how many
-- records were read, kept, removed and rejected, and which step removed the most of them.
WITH d AS (
    SELECT coalesce(source, split_part(file, '/', 1), '(none)') AS source, status, removed_by FROM documents
),
top_step AS (
    SELECT source, arg_max(removed_by, n) AS top_removing_step
    FROM (SELECT source, removed_by, count(*) AS n FROM d WHERE status = 'removed' GROUP BY ALL)
    GROUP BY source
)
SELECT
    source,
    count(*) AS read,
    count(*) FILTER (status = 'kept') AS kept,
    count(*) FILTER (status = 'removed') AS removed,
    count(*) FILTER (status = 'rejected') AS rejected,
    round(count(*) FILTER (status = 'kept') / count(*), 3) AS kept_share,
    any_value(top_removing_step) AS top_removing_step
FROM d LEFT JOIN top_step USING (source)
GROUP BY source
ORDER BY read DESC;
