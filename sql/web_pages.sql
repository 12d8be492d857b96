-- Web input: documents per HTTP status, payload type and decoding (codec, and where the choice came from:
-- bom / header / meta / detected / fallback), with how many were kept and the U+FFFD characters decoding added.
-- Other input (JSONL, Parquet, text) and rejected records form the rows with input = 'other'.
-- WARC records that are not documents (request, metadata …): SELECT * FROM input_records.
SELECT
    CASE WHEN json_extract_string(metadata, '$.format') IS NULL THEN 'other' ELSE 'web' END AS input,
    json_extract(metadata, '$.http_status')::INTEGER AS http_status,
    json_extract_string(metadata, '$.content_type') AS content_type,
    encoding,
    json_extract_string(metadata, '$.encoding_source') AS encoding_source,
    count(*) AS documents,
    count(*) FILTER (status = 'kept') AS kept,
    sum(json_extract(metadata, '$.replacement_chars')::BIGINT) AS replacement_chars
FROM documents
GROUP BY ALL
ORDER BY input DESC, documents DESC;
