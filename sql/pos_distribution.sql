-- POS distribution, kept vs removed: share of each Sejong tag among all morphemes of kept documents and of
-- removed documents that reached the Kiwi step (removed ones are what you compare against).
WITH tags AS (
    SELECT d.status, t.key AS tag, sum(t.value::BIGINT) AS n
    FROM documents d, json_each(d.pos_counts) t
    WHERE d.pos_counts IS NOT NULL AND d.status <> 'rejected'
    GROUP BY ALL
)
SELECT
    tag,
    round(100 * sum(n) FILTER (status = 'kept') / (SELECT sum(n) FROM tags WHERE status = 'kept'), 2) AS kept_pct,
    round(100 * sum(n) FILTER (status = 'removed') / (SELECT sum(n) FROM tags WHERE status = 'removed'), 2) AS removed_pct,
    sum(n) AS morphemes
FROM tags
GROUP BY tag
ORDER BY morphemes DESC;
