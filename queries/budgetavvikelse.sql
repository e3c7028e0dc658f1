-- description: Budget vs outcome/forecast and deviation per verksamhetsområde and district (economy tables).
-- param ar: year (default: all)
-- param namnd: case-insensitive part of the committee name (default: all)
-- param verksamhet: case-insensitive part of the row label, e.g. "förskola" (default: all)
-- Each figure is the leftmost matching column of the row's table whose label names the report's year or no
-- year at all: "Budget 2021" / "Budget netto", "Prognos …" / "Bokslut …" / "Utfall …", "Avvikelse …" / "Differens".
WITH cells AS (
    SELECT
        c.ekonomirad_id,
        c.kolumn_nr,
        c.varde,
        c.enhet,
        lower(c.kolumn) AS kolumn,
        c.kolumn !~ '20[0-9][0-9]' OR c.kolumn ~ CAST(p.ar AS text) AS aktuellt_ar
    FROM period p
    JOIN rapport ra ON ra.period_id = p.id
    JOIN ekonomicell c ON c.rapport_id = ra.id AND c.enhet IS DISTINCT FROM '%'
    WHERE CAST(:ar AS integer) IS NULL OR p.ar = CAST(:ar AS integer)
)
SELECT
    n.kortnamn                    AS namnd,
    p.ar,
    p.rapporttyp,
    t.rubrik                      AS tabell,
    er.namn                       AS verksamhet,
    er.foralder_id IS NOT NULL    AS varav,
    (array_agg(c.varde ORDER BY c.kolumn_nr) FILTER (
        WHERE c.aktuellt_ar AND c.kolumn LIKE 'budget%'
          AND (c.kolumn LIKE '%netto%' OR (c.kolumn NOT LIKE '%kostnad%' AND c.kolumn NOT LIKE '%intäkt%'
                                           AND c.kolumn NOT LIKE '%justering%'))
    ))[1]                         AS budget,
    (array_agg(c.varde ORDER BY c.kolumn_nr) FILTER (
        WHERE c.aktuellt_ar AND (c.kolumn LIKE '%prognos%' OR c.kolumn LIKE '%bokslut%' OR c.kolumn LIKE '%utfall%')
          AND c.kolumn NOT LIKE '%avvikelse%'
    ))[1]                         AS prognos_eller_utfall,
    (array_agg(c.varde ORDER BY c.kolumn_nr) FILTER (
        WHERE c.aktuellt_ar AND (c.kolumn LIKE 'avvikelse%' OR c.kolumn LIKE 'differens%')
    ))[1]                         AS avvikelse,
    max(c.enhet)                  AS enhet,
    ra.kalla,
    er.rad
FROM cells c
JOIN ekonomirad er ON er.id = c.ekonomirad_id
JOIN ekonomitabell t ON t.id = er.tabell_id
JOIN rapport ra ON ra.id = er.rapport_id
JOIN namnd n ON n.id = ra.namnd_id
JOIN period p ON p.id = ra.period_id
WHERE (CAST(:namnd AS text) IS NULL OR n.namn ILIKE '%' || CAST(:namnd AS text) || '%')
  AND (CAST(:verksamhet AS text) IS NULL OR er.namn ILIKE '%' || CAST(:verksamhet AS text) || '%')
GROUP BY n.kortnamn, p.ar, p.ordning, p.rapporttyp, t.id, t.rubrik, er.id, er.namn, er.foralder_id, er.rad, ra.kalla
ORDER BY p.ar, p.ordning, n.kortnamn, t.id, er.rad;
