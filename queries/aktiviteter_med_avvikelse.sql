-- description: Activities reported with a deviation, with the explanation.
-- param ar: year (default: all)
-- param namnd: case-insensitive part of the committee name (default: all)
-- table: namnd, ar, rapporttyp, mal, aktivitet, status, forklaring
-- empty: no activity of that year and district is flagged Avvikelse
-- The reports asked for first, then their activities' deviations by report (few: the index on aktivitet_id holds
-- only theirs) and those activities by id: joining every activity of the year to the deviations reads all of both.
-- A deviation's activity is always in the deviation's report (the writer points it at the report's own row), so
-- the activity is joined by id alone: a second condition on its report makes the planner expect one row in all.
WITH rapporter AS MATERIALIZED (
    SELECT ra.id, ra.kalla, n.kortnamn, p.ar, p.rapporttyp, p.ordning
    FROM rapport ra
    JOIN namnd n ON n.id = ra.namnd_id
    JOIN period p ON p.id = ra.period_id
    WHERE (NULLIF(:'ar', '') IS NULL OR p.ar = CAST(NULLIF(:'ar', '') AS integer))
      AND (NULLIF(:'namnd', '') IS NULL OR n.namn ILIKE '%' || NULLIF(:'namnd', '') || '%')
)
SELECT
    ra.kortnamn       AS namnd,
    ra.ar,
    ra.rapporttyp,
    m.nummer          AS mal,
    a.namn            AS aktivitet,
    a.kf_uppdrag,
    a.startdatum,
    a.slutdatum,
    a.status,
    av.forklaring,
    ra.kalla,
    a.rad
FROM rapporter ra
JOIN avvikelse av ON av.rapport_id = ra.id AND av.aktivitet_id IS NOT NULL
JOIN aktivitet a ON a.id = av.aktivitet_id
LEFT JOIN mal m ON m.id = a.mal_id
ORDER BY ra.ar, ra.ordning, ra.kortnamn, a.rad;
