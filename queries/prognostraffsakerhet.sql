-- description: How well T1/T2 full-year forecasts (prognos helår) matched the VB outcome, per district.
-- param ar: year (default: all)
-- param namnd: case-insensitive part of the committee name (default: all)
-- empty: needs a T1 or T2 and the VB of the same district and year, with forecasts and outcomes of the same indicators
-- Read from the base tables, not v_indikatorrad, so that both sides are index-only scans of their covering
-- indexes (utfall's totals by report, indikatorrad's forecasts by report) instead of reading every row; grouped
-- by ids (a district's name joined last), which is cheaper than by text.
WITH vb AS (
    SELECT ra.namnd_id, p.ar, u.indikator_id, max(u.varde) AS utfall
    FROM utfall u
    JOIN rapport ra ON ra.id = u.rapport_id
    JOIN period p ON p.id = ra.period_id
    WHERE p.rapporttyp = 'VB' AND u.kon = 'totalt' AND u.varde IS NOT NULL
    GROUP BY ra.namnd_id, p.ar, u.indikator_id
),
fc AS (
    SELECT ra.namnd_id, p.ar, p.rapporttyp, r.indikator_id, max(r.prognos) AS prognos
    FROM indikatorrad r
    JOIN rapport ra ON ra.id = r.rapport_id
    JOIN period p ON p.id = ra.period_id
    JOIN namnd n ON n.id = ra.namnd_id
    WHERE p.rapporttyp IN ('T1', 'T2') AND r.prognos IS NOT NULL
      AND (NULLIF(:'namnd', '') IS NULL OR n.namn ILIKE '%' || NULLIF(:'namnd', '') || '%')
    GROUP BY ra.namnd_id, p.ar, p.rapporttyp, r.indikator_id
),
traffsakerhet AS (
    SELECT
        fc.namnd_id,
        fc.ar,
        fc.rapporttyp,
        count(*)                                                     AS antal_indikatorer,
        round(avg(abs(fc.prognos - vb.utfall)), 2)                   AS medel_absolut_fel,
        round(avg(abs(fc.prognos - vb.utfall) / nullif(abs(vb.utfall), 0)) * 100, 1) AS medel_relativt_fel_procent,
        round(100.0 * avg(CASE WHEN abs(fc.prognos - vb.utfall) <= 0.05 * abs(vb.utfall) THEN 1 ELSE 0 END), 1)
                                                                     AS andel_inom_5_procent
    FROM fc
    JOIN vb ON vb.namnd_id = fc.namnd_id AND vb.ar = fc.ar AND vb.indikator_id = fc.indikator_id
    WHERE NULLIF(:'ar', '') IS NULL OR fc.ar = CAST(NULLIF(:'ar', '') AS integer)
    GROUP BY fc.namnd_id, fc.ar, fc.rapporttyp
)
SELECT
    n.kortnamn                                                   AS namnd,
    t.ar,
    t.rapporttyp                                                 AS prognos_fran,
    t.antal_indikatorer,
    t.medel_absolut_fel,
    t.medel_relativt_fel_procent,
    t.andel_inom_5_procent
FROM traffsakerhet t
JOIN namnd n ON n.id = t.namnd_id
ORDER BY t.ar, t.rapporttyp, n.kortnamn;
