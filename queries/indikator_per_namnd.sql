-- description: One indicator per district and period: utfall totalt/kvinnor/män, årsmål, KF årsmål and whether the target is met, with the reason.
-- param indikator (required): case-insensitive part of the indicator name (canonical or as printed), e.g. "ekonomiskt bistånd"
-- param ar: year, e.g. 2020 (default: all years)
-- param rapporttyp: VP, T1, T2 or VB (default: all)
-- empty: no indicator row matches the name (see malbas indikatorer, malbas search)
-- pivot: index=indikator columns=namnd values=utfall
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
WHERE (v.indikator ILIKE '%' || :'indikator' || '%' OR v.indikator_som_tryckt ILIKE '%' || :'indikator' || '%')
  AND (NULLIF(:'ar', '') IS NULL OR v.ar = CAST(NULLIF(:'ar', '') AS integer))
  AND (NULLIF(:'rapporttyp', '') IS NULL OR v.rapporttyp = upper(NULLIF(:'rapporttyp', '')))
ORDER BY v.indikator, v.ar, v.periodordning, v.namnd, v.rad;
