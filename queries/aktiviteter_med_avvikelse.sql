-- description: Activities reported with a deviation, with the explanation.
-- param ar: year (default: all)
-- param namnd: case-insensitive part of the committee name (default: all)
-- table: namnd, ar, rapporttyp, mal, aktivitet, status, forklaring
-- empty: no activity of that year and district is flagged Avvikelse
SELECT
    n.kortnamn        AS namnd,
    p.ar,
    p.rapporttyp,
    m.nummer          AS mal,
    a.namn            AS aktivitet,
    a.kf_uppdrag,
    a.startdatum,
    a.slutdatum,
    a.status,
    av.forklaring,
    ra.kalla,
    a.rad
FROM aktivitet a
JOIN avvikelse av ON av.aktivitet_id = a.id AND av.rapport_id = a.rapport_id  -- the same report: its deviations by index
JOIN rapport ra ON ra.id = a.rapport_id
JOIN namnd n ON n.id = ra.namnd_id
JOIN period p ON p.id = ra.period_id
LEFT JOIN mal m ON m.id = a.mal_id
WHERE (NULLIF(:'ar', '') IS NULL OR p.ar = CAST(NULLIF(:'ar', '') AS integer))
  AND (NULLIF(:'namnd', '') IS NULL OR n.namn ILIKE '%' || NULLIF(:'namnd', '') || '%')
ORDER BY p.ar, p.ordning, n.kortnamn, a.rad;
