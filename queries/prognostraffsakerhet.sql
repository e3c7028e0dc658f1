-- description: How well T1/T2 full-year forecasts (prognos helår) matched the VB outcome, per district.
-- param ar: year (default: all)
-- param namnd: case-insensitive part of the committee name (default: all)
-- empty: needs a T1 or T2 and the VB of the same district and year, with forecasts and outcomes of the same indicators
WITH vb AS (
    SELECT v.namnd, v.ar, v.indikator_id, max(v.utfall) AS utfall
    FROM v_indikatorrad v
    WHERE v.rapporttyp = 'VB' AND v.utfall IS NOT NULL
    GROUP BY v.namnd, v.ar, v.indikator_id
),
fc AS (
    SELECT v.namnd, v.ar, v.rapporttyp, v.indikator_id, max(v.prognos) AS prognos
    FROM v_indikatorrad v
    WHERE v.rapporttyp IN ('T1', 'T2') AND v.prognos IS NOT NULL
    GROUP BY v.namnd, v.ar, v.rapporttyp, v.indikator_id
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
