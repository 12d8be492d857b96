-- PII counts by type: values masked per type (phone, email, rrn, …) and in how many kept documents, from the
-- `pii_counts` JSON of the pii step.
SELECT t.key AS pii_type, sum(t.value::BIGINT) AS values_masked, count(DISTINCT d.id) AS documents
FROM documents d, json_each(d.pii_counts) t
WHERE d.pii_counts IS NOT NULL AND d.status = 'kept'
GROUP BY 1
ORDER BY values_masked DESC;
