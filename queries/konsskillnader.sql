-- description: Gender gap per indicator and district: utfall kvinnor − män and the ratio kvinnor / män.
-- param indikator: case-insensitive part of the indicator name (default: all)
-- param ar: year (default: all)
-- param rapporttyp: VP, T1, T2 or VB (default: all)
WITH k AS (
    SELECT
        r.id,
        max(u.varde) FILTER (WHERE u.kon = 'kvinnor') AS kvinnor,
        max(u.varde) FILTER (WHERE u.kon = 'man')     AS man,
        max(u.varde) FILTER (WHERE u.kon = 'totalt')  AS totalt
    FROM indikatorrad r
    JOIN utfall u ON u.indikatorrad_id = r.id
    GROUP BY r.id
)
SELECT
    n.kortnamn                                           AS namnd,
    p.ar,
    p.rapporttyp,
    r.namn                                               AS indikator,
    r.enhet,
    k.totalt,
    k.kvinnor,
    k.man,
    k.kvinnor - k.man                                    AS skillnad_kvinnor_man,
    round(k.kvinnor / nullif(k.man, 0), 3)               AS kvot_kvinnor_man,
    r.osaker,
    ra.kalla,
    r.rad
FROM k
JOIN indikatorrad r ON r.id = k.id
JOIN rapport ra ON ra.id = r.rapport_id
JOIN namnd n ON n.id = ra.namnd_id
JOIN period p ON p.id = ra.period_id
WHERE k.kvinnor IS NOT NULL AND k.man IS NOT NULL
  AND (CAST(:indikator AS text) IS NULL OR r.namn ILIKE '%' || CAST(:indikator AS text) || '%')
  AND (CAST(:ar AS integer) IS NULL OR p.ar = CAST(:ar AS integer))
  AND (CAST(:rapporttyp AS text) IS NULL OR p.rapporttyp = upper(CAST(:rapporttyp AS text)))
ORDER BY abs(k.kvinnor - k.man) DESC, r.namn, n.kortnamn;
