-- Morphology kept vs removed, per removing step: mean morphemes, sentences, morphemes per sentence, noun /
-- particle / ending / foreign / Hanja ratios and type-token ratio — how removed text differs from kept text.
SELECT coalesce(removed_by, 'kept') AS docs, count(*) AS n,
       round(avg(n_morphemes), 1) AS morphemes, round(avg(n_sentences), 1) AS sentences,
       round(avg(mean_sent_morphemes), 1) AS morph_per_sent,
       round(avg(noun_ratio), 3) AS noun, round(avg(particle_ratio), 3) AS particle,
       round(avg(ending_ratio), 3) AS ending, round(avg(foreign_ratio), 3) AS foreign_sl,
       round(avg(hanja_ratio), 4) AS hanja_sh, round(avg(ttr), 3) AS ttr
FROM documents
WHERE n_morphemes IS NOT NULL
GROUP BY 1
ORDER BY n DESC;
