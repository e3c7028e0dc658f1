-- description: Share of indicators meeting their annual target (årsmål) per district and period (forecast in T1/T2, outcome in VB), and how many could not be judged.
-- param ar: year (default: all)
-- param rapporttyp: T1, T2 or VB (default: all)
-- param kf_indikator: ja to count only KF indicators, nej for only the committee's own (default: all)
-- empty: no follow-up (T1, T2, VB) of that year is loaded; plans have no outcomes to judge
-- Counted per report from the covering index on indikatorrad (rapport_id), not from v_indikatorrad's wide rows: a
-- report is one district and period. Whether a VB row without a verdict has an outcome is looked up in one hashed
-- set of the VB reports' totals (from the covering index on utfall (rapport_id, kon, …)), not by a subquery per row:
-- the planner costs such a subquery for every row and compiles the plan with JIT, which takes longer than the query.
WITH rapporter AS MATERIALIZED (
    SELECT ra.id, n.kortnamn AS namnd, p.ar, p.ordning, p.rapporttyp
    FROM rapport ra
    JOIN period p ON p.id = ra.period_id
    JOIN namnd n ON n.id = ra.namnd_id
    WHERE p.rapporttyp <> 'VP'
      AND (NULLIF(:'ar', '') IS NULL OR p.ar = CAST(NULLIF(:'ar', '') AS integer))
      AND (NULLIF(:'rapporttyp', '') IS NULL OR p.rapporttyp = upper(NULLIF(:'rapporttyp', '')))
),
per_rapport AS (
    SELECT
        r.rapport_id,
        count(*) FILTER (WHERE r.arsmal_uppnatt IS NOT NULL)                        AS bedomda,
        count(*) FILTER (WHERE r.arsmal_uppnatt)                                    AS uppnadda,
        count(*) FILTER (WHERE r.arsmal_uppnatt IS NULL AND r.arsmal IS NOT NULL
                         AND CASE WHEN ra.rapporttyp = 'VB'
                                  THEN r.id IN (SELECT u.indikatorrad_id
                                                FROM utfall u
                                                JOIN rapporter vb ON vb.id = u.rapport_id AND vb.rapporttyp = 'VB'
                                                WHERE u.kon = 'totalt' AND u.varde IS NOT NULL)
                                  ELSE r.prognos IS NOT NULL END)                   AS ej_bedomda_med_mal_och_varde
    FROM indikatorrad r
    JOIN rapporter ra ON ra.id = r.rapport_id
    WHERE NULLIF(:'kf_indikator', '') IS NULL OR r.kf_indikator = CAST(NULLIF(:'kf_indikator', '') AS boolean)
    GROUP BY r.rapport_id
)
SELECT
    ra.namnd,
    ra.ar,
    ra.rapporttyp,
    r.bedomda,
    r.uppnadda,
    round(100.0 * r.uppnadda / nullif(r.bedomda, 0), 1)                         AS andel_uppnadda_procent,
    r.ej_bedomda_med_mal_och_varde
FROM per_rapport r
JOIN rapporter ra ON ra.id = r.rapport_id
WHERE r.bedomda > 0
ORDER BY ra.ar, ra.ordning, andel_uppnadda_procent DESC, ra.namnd;
