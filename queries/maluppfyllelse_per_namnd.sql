-- description: Share of indicators meeting their annual target (årsmål) per district and period (forecast in T1/T2, outcome in VB), and how many could not be judged.
-- param ar: year (default: all)
-- param rapporttyp: T1, T2 or VB (default: all)
-- param kf_indikator: ja to count only KF indicators, nej for only the committee's own (default: all)
-- empty: no follow-up (T1, T2, VB) of that year is loaded; plans have no outcomes to judge
SELECT
    v.namnd,
    v.ar,
    v.rapporttyp,
    count(*) FILTER (WHERE v.arsmal_uppnatt IS NOT NULL)                        AS bedomda,
    count(*) FILTER (WHERE v.arsmal_uppnatt)                                    AS uppnadda,
    round(100.0 * count(*) FILTER (WHERE v.arsmal_uppnatt)
          / nullif(count(*) FILTER (WHERE v.arsmal_uppnatt IS NOT NULL), 0), 1)  AS andel_uppnadda_procent,
    count(*) FILTER (WHERE v.arsmal_uppnatt IS NULL
                     AND (CASE WHEN v.rapporttyp = 'VB' THEN v.utfall ELSE v.prognos END) IS NOT NULL
                     AND v.arsmal IS NOT NULL)                                  AS ej_bedomda_med_mal_och_varde
FROM v_indikatorrad v
WHERE v.rapporttyp <> 'VP'
  AND (NULLIF(:'ar', '') IS NULL OR v.ar = CAST(NULLIF(:'ar', '') AS integer))
  AND (NULLIF(:'rapporttyp', '') IS NULL OR v.rapporttyp = upper(NULLIF(:'rapporttyp', '')))
  AND (NULLIF(:'kf_indikator', '') IS NULL OR v.kf_indikator = CAST(NULLIF(:'kf_indikator', '') AS boolean))
GROUP BY v.namnd, v.ar, v.periodordning, v.rapporttyp
HAVING count(*) FILTER (WHERE v.arsmal_uppnatt IS NOT NULL) > 0
ORDER BY v.ar, v.periodordning, andel_uppnadda_procent DESC;
