-- description: One district's indicator across the year: VP target → T1 → T2 → VB, and across years.
-- param namnd (required): case-insensitive part of the committee name, e.g. "rinkeby"
-- param indikator (required): case-insensitive part of the indicator name
SELECT
    n.kortnamn                                     AS namnd,
    i.namn                                         AS indikator,
    p.ar,
    p.rapporttyp,
    p.etikett                                      AS period,
    max(u.varde) FILTER (WHERE u.kon = 'totalt')   AS utfall,
    max(u.varde) FILTER (WHERE u.kon = 'kvinnor')  AS utfall_kvinnor,
    max(u.varde) FILTER (WHERE u.kon = 'man')      AS utfall_man,
    r.prognos,
    r.arsmal,
    r.kf_arsmal,
    r.foregaende_utfall,
    r.enhet,
    ra.kalla,
    r.rad
FROM indikatorrad r
JOIN indikator i ON i.id = r.indikator_id
JOIN rapport ra ON ra.id = r.rapport_id
JOIN namnd n ON n.id = ra.namnd_id
JOIN period p ON p.id = ra.period_id
LEFT JOIN utfall u ON u.indikatorrad_id = r.id
WHERE n.namn ILIKE '%' || CAST(:namnd AS text) || '%'
  AND i.namn ILIKE '%' || CAST(:indikator AS text) || '%'
GROUP BY n.kortnamn, i.namn, p.ar, p.ordning, p.rapporttyp, p.etikett, r.id, ra.kalla
ORDER BY i.namn, p.ar, p.ordning;
