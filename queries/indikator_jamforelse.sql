-- description: One year and report kind, every indicator × district: the value judged (outcome in VB, forecast in T1/T2), the årsmål and the verdict. With --pivot: one row per indicator, one column per district.
-- param ar (required): year, e.g. 2021
-- param rapporttyp (required): VP, T1, T2 or VB
-- param kf_indikator: ja for KF indicators only (comparable across districts), nej for the committees' own (default: all)
-- param indikator: case-insensitive part of the indicator name (default: all)
-- empty: no report of that year and kind is loaded
-- pivot: index=indikator columns=namnd values=varde
-- table: indikator, namnd, varde, arsmal, arsmal_uppnatt, arsmal_uppnatt_grund
SELECT DISTINCT ON (v.indikator_id, v.namnd)
    v.indikator,
    v.namnd,
    v.ar,
    v.rapporttyp,
    CASE WHEN v.rapporttyp = 'VB' THEN v.utfall ELSE v.prognos END   AS varde,
    v.utfall,
    v.prognos,
    v.arsmal,
    v.enhet,
    v.arsmal_uppnatt,
    v.arsmal_uppnatt_grund,
    v.indikator_id,
    v.kalla,
    v.rad
FROM v_indikatorrad v
WHERE v.ar = CAST(:'ar' AS integer)
  AND v.rapporttyp = upper(:'rapporttyp')
  AND (NULLIF(:'kf_indikator', '') IS NULL OR v.indikatorniva = CASE WHEN CAST(NULLIF(:'kf_indikator', '') AS boolean) THEN 'KF' ELSE 'namnd' END)
  AND (NULLIF(:'indikator', '') IS NULL OR v.indikator ILIKE '%' || NULLIF(:'indikator', '') || '%'
       OR v.indikator_som_tryckt ILIKE '%' || NULLIF(:'indikator', '') || '%')
ORDER BY v.indikator_id, v.namnd, (CASE WHEN v.rapporttyp = 'VB' THEN v.utfall ELSE v.prognos END) IS NULL, v.rad;
