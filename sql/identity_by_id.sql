-- The funnel identity by id: every input record the readers saw (table read_ids) must end exactly once as a
-- kept, removed or rejected row of `documents`. Returns the ids read and written a different number of times,
-- with the totals on the first row; a sound run returns only the totals row with 0 lost and 0 extra.
SELECT
    '(total)' AS id,
    (SELECT count(*) FROM read_ids) AS read,
    (SELECT count(*) FROM documents) AS written,
    coalesce(sum(greatest(read - written, 0)), 0) AS lost,
    coalesce(sum(greatest(written - read, 0)), 0) AS extra
FROM identity_by_id
UNION ALL
SELECT * FROM (
    SELECT id, read, written, greatest(read - written, 0) AS lost, greatest(written - read, 0) AS extra
    FROM identity_by_id ORDER BY id LIMIT 100
);
