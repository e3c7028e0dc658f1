-- description: Gender gap per indicator and district: utfall kvinnor − män and the ratio kvinnor / män.
-- param indikator: case-insensitive part of the indicator name (default: all)
-- param ar: year (default: all)
-- param rapporttyp: VP, T1, T2 or VB (default: all)
-- table: namnd, ar, rapporttyp, indikator, kvinnor, man, skillnad_kvinnor_man
-- empty: no matching row has outcomes for both kvinnor and män
SELECT
    v.namnd,
    v.ar,
    v.rapporttyp,
    v.indikator,
    v.enhet,
    v.utfall                                                AS totalt,
    v.utfall_kvinnor                                        AS kvinnor,
    v.utfall_man                                            AS man,
    v.utfall_kvinnor - v.utfall_man                         AS skillnad_kvinnor_man,
    round(v.utfall_kvinnor / nullif(v.utfall_man, 0), 3)    AS kvot_kvinnor_man,
    v.osaker,
    v.kalla,
    v.rad
FROM v_indikatorrad v
WHERE v.utfall_kvinnor IS NOT NULL AND v.utfall_man IS NOT NULL
  AND (NULLIF(:'indikator', '') IS NULL OR v.indikator ILIKE '%' || NULLIF(:'indikator', '') || '%'
       OR v.indikator_som_tryckt ILIKE '%' || NULLIF(:'indikator', '') || '%')
  AND (NULLIF(:'ar', '') IS NULL OR v.ar = CAST(NULLIF(:'ar', '') AS integer))
  AND (NULLIF(:'rapporttyp', '') IS NULL OR v.rapporttyp = upper(NULLIF(:'rapporttyp', '')))
ORDER BY v.ar, v.periodordning, abs(v.utfall_kvinnor - v.utfall_man) DESC, v.indikator, v.namnd;  -- ranked within a period
