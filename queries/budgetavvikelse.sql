-- description: Budget vs outcome/forecast and deviation per verksamhetsområde and district (economy tables).
-- param ar: year (default: all)
-- param namnd: case-insensitive part of the committee name (default: all)
-- param verksamhet: case-insensitive part of the row label, e.g. "förskola" (default: all)
SELECT
    n.kortnamn                    AS namnd,
    p.ar,
    p.rapporttyp,
    t.rubrik                      AS tabell,
    er.namn                       AS verksamhet,
    er.foralder_id IS NOT NULL    AS varav,
    max(c.varde) FILTER (
        WHERE c.kolumn ILIKE 'budget%'
          AND (c.kolumn ILIKE '%netto%'
               OR (c.kolumn NOT ILIKE '%kostnad%' AND c.kolumn NOT ILIKE '%intäkt%' AND c.kolumn NOT ILIKE '%justering%'))
    )                             AS budget,
    max(c.varde) FILTER (
        WHERE c.kolumn ILIKE '%prognos%' OR c.kolumn ILIKE '%bokslut%' OR c.kolumn ILIKE '%utfall%'
    )                             AS prognos_eller_utfall,
    max(c.varde) FILTER (WHERE c.kolumn ILIKE '%avvikelse%' OR c.kolumn ILIKE '%differens%') AS avvikelse,
    max(c.enhet)                  AS enhet,
    ra.kalla,
    er.rad
FROM period p
JOIN rapport ra ON ra.period_id = p.id
JOIN namnd n ON n.id = ra.namnd_id
JOIN ekonomitabell t ON t.rapport_id = ra.id
JOIN ekonomirad er ON er.tabell_id = t.id
JOIN ekonomicell c ON c.ekonomirad_id = er.id AND c.enhet IS DISTINCT FROM '%'
WHERE (CAST(:ar AS integer) IS NULL OR p.ar = CAST(:ar AS integer))
  AND (CAST(:namnd AS text) IS NULL OR n.namn ILIKE '%' || CAST(:namnd AS text) || '%')
  AND (CAST(:verksamhet AS text) IS NULL OR er.namn ILIKE '%' || CAST(:verksamhet AS text) || '%')
GROUP BY n.kortnamn, p.ar, p.ordning, p.rapporttyp, t.id, t.rubrik, er.id, er.namn, er.foralder_id, er.rad, ra.kalla
ORDER BY p.ar, p.ordning, n.kortnamn, t.id, er.rad;
