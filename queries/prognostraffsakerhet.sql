-- description: How well T1/T2 full-year forecasts (prognos helår) matched the VB outcome, per district.
-- param ar: year (default: all)
-- param namnd: case-insensitive part of the committee name (default: all)
-- empty: needs a T1 or T2 and the VB of the same district and year, with forecasts and outcomes of the same indicators
-- Read from the base tables, not v_indikatorrad, so that both sides are index-only scans of their covering
-- indexes (utfall's totals by report, indikatorrad's forecasts by report) instead of reading every row.
WITH vb AS (
    SELECT n.kortnamn AS namnd, p.ar, u.indikator_id, max(u.varde) AS utfall
    FROM utfall u
    JOIN rapport ra ON ra.id = u.rapport_id
    JOIN period p ON p.id = ra.period_id
    JOIN namnd n ON n.id = ra.namnd_id
    WHERE p.rapporttyp = 'VB' AND u.kon = 'totalt' AND u.varde IS NOT NULL
    GROUP BY n.kortnamn, p.ar, u.indikator_id
),
fc AS (
    SELECT n.kortnamn AS namnd, p.ar, p.rapporttyp, r.indikator_id, max(r.prognos) AS prognos
    FROM indikatorrad r
    JOIN rapport ra ON ra.id = r.rapport_id
    JOIN period p ON p.id = ra.period_id
    JOIN namnd n ON n.id = ra.namnd_id
    WHERE p.rapporttyp IN ('T1', 'T2') AND r.prognos IS NOT NULL
    GROUP BY n.kortnamn, p.ar, p.rapporttyp, r.indikator_id
)
SELECT
    fc.namnd,
    fc.ar,
    fc.rapporttyp                                                AS prognos_fran,
    count(*)                                                     AS antal_indikatorer,
    round(avg(abs(fc.prognos - vb.utfall)), 2)                   AS medel_absolut_fel,
    round(avg(abs(fc.prognos - vb.utfall) / nullif(abs(vb.utfall), 0)) * 100, 1) AS medel_relativt_fel_procent,
    round(100.0 * avg(CASE WHEN abs(fc.prognos - vb.utfall) <= 0.05 * abs(vb.utfall) THEN 1 ELSE 0 END), 1)
                                                                 AS andel_inom_5_procent
FROM fc
JOIN vb ON vb.namnd = fc.namnd AND vb.ar = fc.ar AND vb.indikator_id = fc.indikator_id
JOIN namnd n ON n.kortnamn = fc.namnd
WHERE (NULLIF(:'ar', '') IS NULL OR fc.ar = CAST(NULLIF(:'ar', '') AS integer))
  AND (NULLIF(:'namnd', '') IS NULL OR n.namn ILIKE '%' || NULLIF(:'namnd', '') || '%')
GROUP BY fc.namnd, fc.ar, fc.rapporttyp
ORDER BY fc.ar, fc.rapporttyp, fc.namnd;
