-- description: How well T1/T2 full-year forecasts (prognos helår) matched the VB outcome, per district.
-- param ar: year (default: all)
-- param namnd: case-insensitive part of the committee name (default: all)
WITH vb AS (
    SELECT ra.namnd_id, p.ar, u.indikator_id, max(u.varde) AS utfall
    FROM period p
    JOIN rapport ra ON ra.period_id = p.id
    JOIN utfall u ON u.rapport_id = ra.id AND u.kon = 'totalt' AND u.varde IS NOT NULL
    WHERE p.rapporttyp = 'VB' AND (CAST(:ar AS integer) IS NULL OR p.ar = CAST(:ar AS integer))
    GROUP BY ra.namnd_id, p.ar, u.indikator_id
),
fc AS (
    SELECT ra.namnd_id, p.ar, p.rapporttyp, r.indikator_id, max(r.prognos) AS prognos
    FROM period p
    JOIN rapport ra ON ra.period_id = p.id
    JOIN indikatorrad r ON r.rapport_id = ra.id AND r.prognos IS NOT NULL
    WHERE p.rapporttyp IN ('T1', 'T2') AND (CAST(:ar AS integer) IS NULL OR p.ar = CAST(:ar AS integer))
    GROUP BY ra.namnd_id, p.ar, p.rapporttyp, r.indikator_id
)
SELECT
    n.kortnamn                                                  AS namnd,
    fc.ar,
    fc.rapporttyp                                               AS prognos_fran,
    count(*)                                                    AS antal_indikatorer,
    round(avg(abs(fc.prognos - vb.utfall)), 2)                  AS medel_absolut_fel,
    round(avg(abs(fc.prognos - vb.utfall) / nullif(abs(vb.utfall), 0)) * 100, 1) AS medel_relativt_fel_procent,
    round(100.0 * avg(CASE WHEN abs(fc.prognos - vb.utfall) <= 0.05 * abs(vb.utfall) THEN 1 ELSE 0 END), 1)
                                                                AS andel_inom_5_procent
FROM fc
JOIN vb ON vb.namnd_id = fc.namnd_id AND vb.ar = fc.ar AND vb.indikator_id = fc.indikator_id
JOIN namnd n ON n.id = fc.namnd_id
WHERE CAST(:namnd AS text) IS NULL OR n.namn ILIKE '%' || CAST(:namnd AS text) || '%'
GROUP BY n.kortnamn, fc.ar, fc.rapporttyp
ORDER BY fc.ar, n.kortnamn, fc.rapporttyp;
