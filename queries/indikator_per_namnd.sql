-- description: One indicator per district and period: utfall totalt/kvinnor/män, årsmål, KF årsmål and whether the target is met, with the reason.
-- param indikator (required): case-insensitive part of the indicator name (canonical or as printed), e.g. "ekonomiskt bistånd"
-- param ar: year, e.g. 2020 (default: all years)
-- param rapporttyp: VP, T1, T2 or VB (default: all)
-- param senaste: ja for each district's latest loaded report of each year only, to compare districts that have not all reported the same period (default: every report)
-- empty: no indicator row matches the name (see malbas indikatorer, malbas search)
-- pivot: index=indikator columns=namnd values=utfall
-- table: namnd, ar, rapporttyp, indikator, utfall, arsmal, arsmal_uppnatt, arsmal_uppnatt_grund
-- Every row carries its period (ar, rapporttyp): a comparison across districts compares one period, or with
-- senaste=ja each district's latest report of the year, whose period the row says.
WITH stavningar AS (  -- every spelling of every indicator once (see the view)
    SELECT indikator_id, namn FROM v_indikatorstavning
),
-- The indicators the name can mean (by their canonical name or a spelling), then their rows that match, so that
-- only those rows are read: a row's indicator and printed name are one of the spellings (indikatoralias holds every
-- spelling of every report, under the row's indicator).
indikatorer AS MATERIALIZED (
    SELECT i.id FROM indikator i WHERE i.namn ILIKE '%' || :'indikator' || '%'
    UNION
    SELECT s.indikator_id FROM stavningar s WHERE s.namn ILIKE '%' || :'indikator' || '%'
),
rader AS MATERIALIZED (
    SELECT r.id
    FROM indikatorrad r
    JOIN indikator i ON i.id = r.indikator_id
    JOIN rapport ra ON ra.id = r.rapport_id
    JOIN period p ON p.id = ra.period_id
    WHERE r.indikator_id = ANY (ARRAY(SELECT id FROM indikatorer))
      AND (i.namn ILIKE '%' || :'indikator' || '%' OR r.namn ILIKE '%' || :'indikator' || '%')
      AND (NULLIF(:'ar', '') IS NULL OR p.ar = CAST(NULLIF(:'ar', '') AS integer))
      AND (NULLIF(:'rapporttyp', '') IS NULL OR p.rapporttyp = upper(NULLIF(:'rapporttyp', '')))
)
SELECT
    v.namnd,
    v.ar,
    v.rapporttyp,
    v.indikator,
    v.utfall,
    v.utfall_kvinnor,
    v.utfall_man,
    v.foregaende_utfall,
    v.prognos,
    v.arsmal,
    v.kf_arsmal,
    v.enhet,
    v.arsmal_uppnatt,                                          -- forecast in T1/T2, outcome in VB
    v.arsmal_uppnatt_grund,
    v.osaker,
    v.indikator_id,
    v.kalla,
    v.rad
FROM v_indikatorrad v
WHERE v.indikatorrad_id = ANY (ARRAY(SELECT id FROM rader))
  AND (NOT coalesce(CAST(NULLIF(:'senaste', '') AS boolean), false)
       OR v.periodordning = (SELECT max(p.ordning)
                             FROM rapport ra
                             JOIN period p ON p.id = ra.period_id
                             JOIN namnd n ON n.id = ra.namnd_id
                             WHERE n.kortnamn = v.namnd AND p.ar = v.ar))
ORDER BY v.indikator, v.ar, v.periodordning, v.namnd, v.rad;
