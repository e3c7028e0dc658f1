-- description: One district's indicator across the year: VP target → T1 → T2 → VB, and across years.
-- param namnd (required): case-insensitive part of the committee name, e.g. "rinkeby"
-- param indikator (required): case-insensitive part of the indicator name (canonical or as printed)
-- table: namnd, indikator, ar, rapporttyp, utfall, prognos, arsmal, arsmal_uppnatt, arsmal_uppnatt_grund
-- empty: the district has no row of that indicator (see malbas indikatorer)
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
JOIN namnd n ON n.kortnamn = v.namnd
WHERE n.namn ILIKE '%' || :'namnd' || '%'
  AND (v.indikator ILIKE '%' || :'indikator' || '%' OR v.indikator_som_tryckt ILIKE '%' || :'indikator' || '%')
ORDER BY v.namnd, v.indikator, v.ar, v.periodordning, v.rad;
