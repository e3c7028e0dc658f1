-- description: The indicators: one row per indicator whatever its spelling, with its direction, spellings, reports and districts.
-- param kf_indikator: ja for KF indicators only (default: all)
-- table: indikator, niva, enhet, riktning, stavningar, rapporter, namnder
-- empty: no report is loaded
SELECT
    i.namn                                     AS indikator,
    i.niva,
    i.enhet,
    i.riktning,
    count(DISTINCT a.namn)                     AS stavningar,
    count(DISTINCT a.rapport_id)               AS rapporter,
    count(DISTINCT ra.namnd_id)                AS namnder,
    i.riktning_grund,
    i.id                                       AS indikator_id
FROM indikator i
JOIN indikatoralias a ON a.indikator_id = i.id
JOIN rapport ra ON ra.id = a.rapport_id
WHERE NULLIF(:'kf_indikator', '') IS NULL OR (i.niva = 'KF') = CAST(NULLIF(:'kf_indikator', '') AS boolean)
GROUP BY i.id, i.namn, i.niva, i.enhet, i.riktning, i.riktning_grund
ORDER BY i.niva, i.namn;
