-- description: Gender gap per indicator and district: utfall kvinnor − män and the ratio kvinnor / män.
-- param indikator: case-insensitive part of the indicator name (default: all)
-- param ar: year (default: all)
-- param rapporttyp: VP, T1, T2 or VB (default: all)
SELECT
    n.kortnamn                                           AS namnd,
    p.ar,
    p.rapporttyp,
    r.namn                                               AS indikator,
    r.enhet,
    t.varde                                              AS totalt,
    k.varde                                              AS kvinnor,
    m.varde                                              AS man,
    k.varde - m.varde                                    AS skillnad_kvinnor_man,
    round(k.varde / nullif(m.varde, 0), 3)               AS kvot_kvinnor_man,
    r.osaker,
    ra.kalla,
    r.rad
FROM period p
JOIN rapport ra ON ra.period_id = p.id
JOIN namnd n ON n.id = ra.namnd_id
JOIN indikatorrad r ON r.rapport_id = ra.id
JOIN utfall k ON k.indikatorrad_id = r.id AND k.kon = 'kvinnor' AND k.varde IS NOT NULL
JOIN utfall m ON m.indikatorrad_id = r.id AND m.kon = 'man' AND m.varde IS NOT NULL
LEFT JOIN utfall t ON t.indikatorrad_id = r.id AND t.kon = 'totalt'
WHERE (CAST(:indikator AS text) IS NULL OR r.namn ILIKE '%' || CAST(:indikator AS text) || '%')
  AND (CAST(:ar AS integer) IS NULL OR p.ar = CAST(:ar AS integer))
  AND (CAST(:rapporttyp AS text) IS NULL OR p.rapporttyp = upper(CAST(:rapporttyp AS text)))
ORDER BY abs(k.varde - m.varde) DESC, r.namn, n.kortnamn;
