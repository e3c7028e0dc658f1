-- description: District × goal assessments (helt/delvis/inte) per period.
-- param ar: year (default: all)
-- param rapporttyp: VP, T1, T2 or VB (default: all)
-- param niva: inriktningsmal, verksamhetsomradesmal or namndmal (default: all)
-- table: namnd, ar, rapporttyp, niva, nummer, titel, bedomning
-- empty: no goal of that year, report kind and level is loaded (plans carry no assessments)
SELECT
    n.kortnamn AS namnd,
    p.ar,
    p.rapporttyp,
    m.niva,
    m.nummer,
    m.titel,
    m.bedomning,
    ra.kalla,
    m.rad
FROM mal m
JOIN rapport ra ON ra.id = m.rapport_id
JOIN namnd n ON n.id = ra.namnd_id
JOIN period p ON p.id = ra.period_id
WHERE (NULLIF(:'ar', '') IS NULL OR p.ar = CAST(NULLIF(:'ar', '') AS integer))
  AND (NULLIF(:'rapporttyp', '') IS NULL OR p.rapporttyp = upper(NULLIF(:'rapporttyp', '')))
  AND (NULLIF(:'niva', '') IS NULL OR m.niva = NULLIF(:'niva', ''))
ORDER BY p.ar, p.ordning, n.kortnamn, m.rad;
