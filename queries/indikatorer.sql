-- description: The indicators: one row per indicator whatever its spelling, with its direction, spellings, reports and districts.
-- param kf_indikator: ja for KF indicators only (default: all)
-- table: indikator, niva, enhet, riktning, stavningar, rapporter, namnder
-- empty: no report is loaded
WITH stavningar AS (  -- every spelling of every indicator once (see the view)
    SELECT indikator_id, namn FROM v_indikatorstavning
),
antal_stavningar AS (
    SELECT indikator_id, count(*) AS stavningar FROM stavningar GROUP BY indikator_id
),
spridning AS (  -- reports and districts per indicator: the index on (indikator_id, rapport_id) in its order
    SELECT a.indikator_id, count(DISTINCT a.rapport_id) AS rapporter, count(DISTINCT ra.namnd_id) AS namnder
    FROM indikatoralias a
    JOIN rapport ra ON ra.id = a.rapport_id
    JOIN indikator i ON i.id = a.indikator_id
    WHERE NULLIF(:'kf_indikator', '') IS NULL OR (i.niva = 'KF') = CAST(NULLIF(:'kf_indikator', '') AS boolean)
    GROUP BY a.indikator_id
)
SELECT
    i.namn                                     AS indikator,
    i.niva,
    i.enhet,
    i.riktning,
    s.stavningar,
    r.rapporter,
    r.namnder,
    i.riktning_grund,
    i.id                                       AS indikator_id
FROM indikator i
JOIN spridning r ON r.indikator_id = i.id
JOIN antal_stavningar s ON s.indikator_id = i.id
WHERE NULLIF(:'kf_indikator', '') IS NULL OR (i.niva = 'KF') = CAST(NULLIF(:'kf_indikator', '') AS boolean)
ORDER BY i.niva, i.namn;
