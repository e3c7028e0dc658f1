-- description: Indicators printed in more than one spelling: every spelling merged into one indicator, how it matched, and the reports it comes from.
-- param kf_indikator: ja for KF indicators only (default: all)
-- table: indikator, niva, stavning, grund, rapporter, namnder
-- empty: every indicator is printed in one spelling only
WITH stavningar AS (  -- every spelling of every indicator once (see the view)
    SELECT indikator_id, namn FROM v_indikatorstavning
),
per_stavning AS (  -- the indicators printed in more than one spelling (found among the spellings), their rows
    SELECT
        a.indikator_id,
        a.namn,
        a.grund,
        count(DISTINCT a.rapport_id)             AS rapporter,
        string_agg(DISTINCT n.kortnamn, ', ')    AS namnder,
        string_agg(DISTINCT ra.kalla, ', ')      AS kallor
    FROM indikatoralias a
    JOIN rapport ra ON ra.id = a.rapport_id
    JOIN namnd n ON n.id = ra.namnd_id
    WHERE a.indikator_id = ANY (ARRAY(
        SELECT s.indikator_id FROM stavningar s GROUP BY s.indikator_id HAVING count(*) > 1
    ))
    GROUP BY a.indikator_id, a.namn, a.grund
)
SELECT
    i.namn                                   AS indikator,
    i.niva,
    s.namn                                   AS stavning,
    s.grund,
    s.rapporter,
    s.namnder,
    s.kallor,
    i.id                                     AS indikator_id
FROM per_stavning s
JOIN indikator i ON i.id = s.indikator_id
WHERE NULLIF(:'kf_indikator', '') IS NULL OR (i.niva = 'KF') = CAST(NULLIF(:'kf_indikator', '') AS boolean)
ORDER BY i.namn, s.namn;
