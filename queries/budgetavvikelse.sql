-- description: Budget vs outcome/forecast and deviation per verksamhetsområde and district (economy tables).
-- param ar: year (default: all)
-- param namnd: case-insensitive part of the committee name (default: all)
-- param verksamhet: case-insensitive part of the row label, e.g. "förskola" (default: all)
-- Each figure is the leftmost matching column of the row's table whose label names the report's year or no
-- year at all: "Budget 2021" / "Budget netto", "Prognos …" / "Bokslut …" / "Utfall …", "Avvikelse …" / "Differens".
SELECT
    n.kortnamn                    AS namnd,
    p.ar,
    p.rapporttyp,
    t.rubrik                      AS tabell,
    er.namn                       AS verksamhet,
    er.foralder_id IS NOT NULL    AS varav,
    (array_agg(c.varde ORDER BY c.kolumn_nr) FILTER (
        WHERE x.aktuellt_ar AND x.kolumn LIKE 'budget%'
          AND (x.kolumn LIKE '%netto%' OR (x.kolumn NOT LIKE '%kostnad%' AND x.kolumn NOT LIKE '%intäkt%'
                                           AND x.kolumn NOT LIKE '%justering%'))
    ))[1]                         AS budget,
    (array_agg(c.varde ORDER BY c.kolumn_nr) FILTER (
        WHERE x.aktuellt_ar AND (x.kolumn LIKE '%prognos%' OR x.kolumn LIKE '%bokslut%' OR x.kolumn LIKE '%utfall%')
          AND x.kolumn NOT LIKE '%avvikelse%'
    ))[1]                         AS prognos_eller_utfall,
    (array_agg(c.varde ORDER BY c.kolumn_nr) FILTER (
        WHERE x.aktuellt_ar AND (x.kolumn LIKE 'avvikelse%' OR x.kolumn LIKE 'differens%')
    ))[1]                         AS avvikelse,
    max(c.enhet)                  AS enhet,
    ra.kalla,
    er.rad
FROM period p
JOIN rapport ra ON ra.period_id = p.id
JOIN namnd n ON n.id = ra.namnd_id
JOIN ekonomitabell t ON t.rapport_id = ra.id
JOIN ekonomirad er ON er.tabell_id = t.id
JOIN ekonomicell c ON c.ekonomirad_id = er.id AND c.enhet IS DISTINCT FROM '%'
CROSS JOIN LATERAL (
    SELECT lower(c.kolumn) AS kolumn,
           c.kolumn !~ '20[0-9][0-9]' OR strpos(c.kolumn, CAST(p.ar AS text)) > 0 AS aktuellt_ar
) x
WHERE (CAST(:ar AS integer) IS NULL OR p.ar = CAST(:ar AS integer))
  AND (CAST(:namnd AS text) IS NULL OR n.namn ILIKE '%' || CAST(:namnd AS text) || '%')
  AND (CAST(:verksamhet AS text) IS NULL OR er.namn ILIKE '%' || CAST(:verksamhet AS text) || '%')
GROUP BY n.kortnamn, p.ar, p.ordning, p.rapporttyp, t.id, t.rubrik, er.id, er.namn, er.foralder_id, er.rad, ra.kalla
ORDER BY p.ar, p.ordning, n.kortnamn, t.id, er.rad;
