-- description: One indicator per district and period: utfall totalt/kvinnor/män, årsmål, KF årsmål and whether the target is met.
-- param indikator (required): case-insensitive part of the indicator name, e.g. "ekonomiskt bistånd"
-- param ar: year, e.g. 2020 (default: all years)
-- param rapporttyp: VP, T1, T2 or VB (default: all)
SELECT
    n.kortnamn                                                 AS namnd,
    p.ar,
    p.rapporttyp,
    r.namn                                                     AS indikator,
    max(u.varde) FILTER (WHERE u.kon = 'totalt')               AS utfall,
    max(u.varde) FILTER (WHERE u.kon = 'kvinnor')              AS utfall_kvinnor,
    max(u.varde) FILTER (WHERE u.kon = 'man')                  AS utfall_man,
    r.foregaende_utfall,
    r.prognos,
    r.arsmal,
    r.kf_arsmal,
    r.enhet,
    r.arsmal_uppnatt,                                          -- forecast in T1/T2, outcome in VB
    r.osaker,
    ra.kalla,
    r.rad
FROM indikatorrad r
JOIN rapport ra ON ra.id = r.rapport_id
JOIN namnd n ON n.id = ra.namnd_id
JOIN period p ON p.id = ra.period_id
LEFT JOIN utfall u ON u.indikatorrad_id = r.id
WHERE r.namn ILIKE '%' || CAST(:indikator AS text) || '%'
  AND (CAST(:ar AS integer) IS NULL OR p.ar = CAST(:ar AS integer))
  AND (CAST(:rapporttyp AS text) IS NULL OR p.rapporttyp = upper(CAST(:rapporttyp AS text)))
GROUP BY n.kortnamn, p.ar, p.ordning, p.rapporttyp, r.id, ra.kalla
ORDER BY r.namn, p.ar, p.ordning, n.kortnamn;
