-- description: How well T1/T2 full-year forecasts (prognos helår) matched the VB outcome, per district.
-- param ar: year (default: all)
-- param namnd: case-insensitive part of the committee name (default: all)
-- empty: needs a T1 or T2 and the VB of the same district and year, with forecasts and outcomes of the same indicators
-- Read from the base tables, not v_indikatorrad, so that both sides are index-only scans of their covering
-- indexes (indikatorrad's forecasts by report, utfall's totals by report). A report is one district and period, so
-- each T1/T2 is compared with the VB of its district and year, pair by pair: per pair only the two reports' rows are
-- read and matched by indicator (both indexes hold a report's rows in indicator order, so they are grouped and
-- merged without hashing), instead of aggregating every forecast and every outcome of all years at once.
WITH par AS MATERIALIZED (  -- each forecast report (T1, T2) and the VB of its district and year
    SELECT fc.namnd_id, p.ar, p.rapporttyp, fc.id AS fc_id, vb.id AS vb_id
    FROM rapport fc
    JOIN period p ON p.id = fc.period_id
    JOIN namnd n ON n.id = fc.namnd_id
    JOIN period pvb ON pvb.ar = p.ar AND pvb.rapporttyp = 'VB'
    JOIN rapport vb ON vb.namnd_id = fc.namnd_id AND vb.period_id = pvb.id
    WHERE p.rapporttyp IN ('T1', 'T2')
      AND (NULLIF(:'ar', '') IS NULL OR p.ar = CAST(NULLIF(:'ar', '') AS integer))
      AND (NULLIF(:'namnd', '') IS NULL OR n.namn ILIKE '%' || NULLIF(:'namnd', '') || '%')
),
traffsakerhet AS (  -- per pair: its forecasts and outcomes matched by indicator, aggregated within the pair
    SELECT par.namnd_id, par.ar, par.rapporttyp, t.*
    FROM par
    CROSS JOIN LATERAL (
        SELECT
            count(*)                                                     AS antal_indikatorer,
            round(avg(abs(fc.prognos - vb.utfall)), 2)                   AS medel_absolut_fel,
            round(avg(abs(fc.prognos - vb.utfall) / nullif(abs(vb.utfall), 0)) * 100, 1) AS medel_relativt_fel_procent,
            round(100.0 * avg(CASE WHEN abs(fc.prognos - vb.utfall) <= 0.05 * abs(vb.utfall) THEN 1 ELSE 0 END), 1)
                                                                         AS andel_inom_5_procent
        FROM (  -- the forecast of each indicator in the T1/T2
            SELECT r.indikator_id, max(r.prognos) AS prognos
            FROM indikatorrad r
            WHERE r.rapport_id = par.fc_id AND r.prognos IS NOT NULL
            GROUP BY r.indikator_id
        ) fc
        JOIN (  -- the outcome of each indicator in the VB
            SELECT u.indikator_id, max(u.varde) AS utfall
            FROM utfall u
            WHERE u.rapport_id = par.vb_id AND u.kon = 'totalt' AND u.varde IS NOT NULL
            GROUP BY u.indikator_id
        ) vb ON vb.indikator_id = fc.indikator_id
    ) t
    WHERE t.antal_indikatorer > 0  -- a pair without a common indicator is no row, as a group without rows
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
