-- description: Budget vs outcome/forecast and deviation per verksamhetsområde and district (economy tables).
-- param ar: year (default: all)
-- param namnd: case-insensitive part of the committee name (default: all)
-- param verksamhet: case-insensitive part of the row label, e.g. "förskola" (default: all)
WITH cells AS (
    SELECT
        ra.namnd_id,
        ra.period_id,
        t.rubrik          AS tabell,
        er.namn           AS verksamhet,
        er.foralder_id IS NOT NULL AS varav,
        c.kolumn,
        c.varde,
        c.enhet,
        ra.kalla,
        er.rad
    FROM ekonomicell c
    JOIN ekonomirad er ON er.id = c.ekonomirad_id
    JOIN ekonomitabell t ON t.id = er.tabell_id
    JOIN rapport ra ON ra.id = c.rapport_id
    WHERE c.enhet IS DISTINCT FROM '%'
)
SELECT
    n.kortnamn AS namnd,
    p.ar,
    p.rapporttyp,
    cells.tabell,
    cells.verksamhet,
    cells.varav,
    max(cells.varde) FILTER (WHERE cells.kolumn ILIKE '%budget%' AND cells.kolumn ILIKE '%netto%'
                               OR cells.kolumn ILIKE 'budget%' AND cells.kolumn NOT ILIKE '%kostnad%'
                                  AND cells.kolumn NOT ILIKE '%intäkt%' AND cells.kolumn NOT ILIKE '%justering%')
                                                                  AS budget,
    max(cells.varde) FILTER (WHERE cells.kolumn ILIKE '%prognos%' OR cells.kolumn ILIKE '%bokslut%'
                                OR cells.kolumn ILIKE '%utfall%')  AS prognos_eller_utfall,
    max(cells.varde) FILTER (WHERE cells.kolumn ILIKE '%avvikelse%' OR cells.kolumn ILIKE '%differens%')
                                                                  AS avvikelse,
    max(cells.enhet)                                              AS enhet,
    cells.kalla,
    cells.rad
FROM cells
JOIN namnd n ON n.id = cells.namnd_id
JOIN period p ON p.id = cells.period_id
WHERE (CAST(:ar AS integer) IS NULL OR p.ar = CAST(:ar AS integer))
  AND (CAST(:namnd AS text) IS NULL OR n.namn ILIKE '%' || CAST(:namnd AS text) || '%')
  AND (CAST(:verksamhet AS text) IS NULL OR cells.verksamhet ILIKE '%' || CAST(:verksamhet AS text) || '%')
GROUP BY n.kortnamn, p.ar, p.ordning, p.rapporttyp, cells.tabell, cells.verksamhet, cells.varav, cells.kalla, cells.rad
ORDER BY p.ar, p.ordning, n.kortnamn, cells.tabell, cells.rad;
