-- Duplicate cluster sizes: how many kept documents stand for clusters of each size (`minhash_cluster_size`,
-- 1 = unique), how many copies the exact and URL stages removed, and the largest clusters.
SELECT 'minhash' AS family, minhash_cluster_size AS cluster_size, count(*) AS kept_documents,
       sum(minhash_cluster_size - 1) AS copies_removed
FROM documents WHERE status = 'kept' AND minhash_cluster_size IS NOT NULL GROUP BY ALL
UNION ALL
SELECT 'exact', exact_dup_count + 1, count(*), sum(exact_dup_count)
FROM documents WHERE status = 'kept' AND exact_dup_count > 0 GROUP BY ALL
UNION ALL
SELECT 'url', url_dup_count + 1, count(*), sum(url_dup_count)
FROM documents WHERE status = 'kept' AND url_dup_count > 0 GROUP BY ALL
ORDER BY family, cluster_size;
