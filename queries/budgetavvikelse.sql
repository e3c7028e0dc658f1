-- description: Budget vs outcome (VB) or forecast (T1/T2) and the deviation, per economy table row and district, compared like with like.
-- param ar: year (default: all)
-- param namnd: case-insensitive part of the committee name (default: all)
-- param verksamhet: case-insensitive part of the row label, e.g. "förskola" (default: all)
-- table: namnd, ar, rapporttyp, tabell, verksamhet, budget, prognos_eller_utfall, avvikelse
-- empty: no follow-up (T1, T2, VB) with an economy table of that year and district is loaded; a plan's Differens compares budget years and is no deviation
-- The columns are the ones each table's budget comparison uses for the report's year (ekonomicell.jamforelse_roll):
-- the budget, the outcome or forecast of the same measure (netto with netto, before/after result transfers as the
-- deviation says, or as the table's own arithmetic shows) and the deviation. A table that prints only gross parts
-- (Kostnader/Intäkter) shows its net deviation alone. matt and resultatoverforing say what was compared.
-- With a row label asked for, the rows it names are found first, among the rows of the reports asked for (ekonomirad
-- by its report, then its label), and only their cells read, by row: filtering the view's cells by year and label
-- reads every cell of the year and every row label of all years. Without one, every row's cells are read by report.
WITH rader AS MATERIALIZED (
    SELECT er.id
    FROM ekonomirad er
    JOIN rapport ra ON ra.id = er.rapport_id
    JOIN period p ON p.id = ra.period_id
    JOIN namnd n ON n.id = ra.namnd_id
    WHERE p.rapporttyp <> 'VP'
      AND (NULLIF(:'ar', '') IS NULL OR p.ar = CAST(NULLIF(:'ar', '') AS integer))
      AND (NULLIF(:'namnd', '') IS NULL OR n.namn ILIKE '%' || NULLIF(:'namnd', '') || '%')
      AND (NULLIF(:'verksamhet', '') IS NULL OR er.namn ILIKE '%' || NULLIF(:'verksamhet', '') || '%')
)
SELECT
    e.namnd,
    e.ar,
    e.rapporttyp,
    e.tabell,
    e.verksamhet,
    e.varav,
    max(e.varde) FILTER (WHERE e.jamforelse_roll = 'budget')      AS budget,
    max(e.varde) FILTER (WHERE e.jamforelse_roll = 'jamfort')     AS prognos_eller_utfall,
    max(e.varde) FILTER (WHERE e.jamforelse_roll = 'avvikelse')   AS avvikelse,
    max(e.storhet) FILTER (WHERE e.jamforelse_roll = 'jamfort')   AS jamfort_med,
    coalesce(max(e.matt) FILTER (WHERE e.jamforelse_roll = 'avvikelse'),
             max(e.matt) FILTER (WHERE e.jamforelse_roll IN ('budget', 'jamfort')))       AS matt,
    coalesce(max(e.resultatoverforing) FILTER (WHERE e.jamforelse_roll = 'avvikelse'),
             max(e.resultatoverforing) FILTER (WHERE e.jamforelse_roll = 'jamfort'))      AS resultatoverforing,
    max(e.enhet)                                                  AS enhet,
    e.kalla,
    min(e.rad)                                                    AS rad
FROM v_ekonomicell e
WHERE (NULLIF(:'verksamhet', '') IS NULL OR e.ekonomirad_id = ANY (ARRAY(SELECT id FROM rader)))
  AND e.rapporttyp <> 'VP'
  AND e.jamforelse_roll IS NOT NULL
  AND e.enhet IS DISTINCT FROM '%'
  AND (NULLIF(:'ar', '') IS NULL OR e.ar = CAST(NULLIF(:'ar', '') AS integer))
  AND (NULLIF(:'namnd', '') IS NULL OR e.namnd IN (SELECT kortnamn FROM namnd WHERE namn ILIKE '%' || NULLIF(:'namnd', '') || '%'))
  AND (NULLIF(:'verksamhet', '') IS NULL OR e.verksamhet ILIKE '%' || NULLIF(:'verksamhet', '') || '%')
GROUP BY e.namnd, e.ar, e.periodordning, e.rapporttyp, e.tabell_id, e.tabell, e.ekonomirad_id, e.verksamhet, e.varav, e.kalla
ORDER BY e.ar, e.periodordning, e.namnd, e.tabell_id, min(e.rad);
