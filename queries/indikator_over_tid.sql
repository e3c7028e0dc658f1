-- description: One district's indicator across the year: VP target → T1 → T2 → VB, and across years.
-- param namnd (required): case-insensitive part of the committee name, e.g. "rinkeby"
-- param indikator (required): case-insensitive part of the indicator name (canonical or as printed)
-- table: namnd, indikator, ar, rapporttyp, utfall, prognos, arsmal, arsmal_uppnatt, arsmal_uppnatt_grund
-- empty: the district has no row of that indicator (see malbas indikatorer)
-- The district's reports and the indicators named so first (by their canonical name, or by a spelling those
-- reports print: indikatoralias holds every spelling of every report), so that only their rows are read.
WITH rapporter AS MATERIALIZED (
    SELECT ra.id FROM rapport ra JOIN namnd n ON n.id = ra.namnd_id WHERE n.namn ILIKE '%' || :'namnd' || '%'
),
indikatorer AS MATERIALIZED (
    SELECT i.id FROM indikator i WHERE i.namn ILIKE '%' || :'indikator' || '%'
    UNION
    SELECT a.indikator_id FROM indikatoralias a
    WHERE a.rapport_id IN (SELECT id FROM rapporter) AND a.namn ILIKE '%' || :'indikator' || '%'
),
rader AS MATERIALIZED (
    SELECT r.id
    FROM indikatorrad r JOIN indikator i ON i.id = r.indikator_id
    WHERE r.indikator_id IN (SELECT id FROM indikatorer) AND r.rapport_id IN (SELECT id FROM rapporter)
      AND (i.namn ILIKE '%' || :'indikator' || '%' OR r.namn ILIKE '%' || :'indikator' || '%')
)
SELECT
    v.namnd,
    v.indikator,
    v.ar,
    v.rapporttyp,
    v.period,
    v.utfall,
    v.utfall_kvinnor,
    v.utfall_man,
    v.prognos,
    v.arsmal,
    v.kf_arsmal,
    v.foregaende_utfall,
    v.enhet,
    v.arsmal_uppnatt,                                          -- forecast in T1/T2, outcome in VB
    v.arsmal_uppnatt_grund,
    v.kalla,
    v.rad
FROM v_indikatorrad v
WHERE v.indikatorrad_id = ANY (ARRAY(SELECT id FROM rader))
ORDER BY v.namnd, v.indikator, v.ar, v.periodordning, v.rad;
