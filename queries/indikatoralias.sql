-- description: Indicators printed in more than one spelling: every spelling merged into one indicator, how it matched, and the reports it comes from.
-- param kf_indikator: ja for KF indicators only (default: all)
-- table: indikator, niva, stavning, grund, rapporter, namnder
-- empty: every indicator is printed in one spelling only
SELECT
    i.namn                                   AS indikator,
    i.niva,
    a.namn                                   AS stavning,
    a.grund,
    count(DISTINCT a.rapport_id)             AS rapporter,
    string_agg(DISTINCT n.kortnamn, ', ')    AS namnder,
    string_agg(DISTINCT ra.kalla, ', ')      AS kallor,
    i.id                                     AS indikator_id
FROM indikatoralias a
JOIN indikator i ON i.id = a.indikator_id
JOIN rapport ra ON ra.id = a.rapport_id
JOIN namnd n ON n.id = ra.namnd_id
WHERE i.id IN (SELECT indikator_id FROM indikatoralias GROUP BY indikator_id HAVING count(DISTINCT namn) > 1)
  AND (NULLIF(:'kf_indikator', '') IS NULL OR (i.niva = 'KF') = CAST(NULLIF(:'kf_indikator', '') AS boolean))
GROUP BY i.id, i.namn, i.niva, a.namn, a.grund
ORDER BY i.namn, a.namn;
