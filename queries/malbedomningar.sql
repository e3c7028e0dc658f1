-- description: District × goal assessments (helt/delvis/inte) per period.
-- param ar: year (default: all)
-- param rapporttyp: VP, T1, T2 or VB (default: all)
-- param niva: inriktningsmal, verksamhetsomradesmal or namndmal (default: all)
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
WHERE (CAST(:ar AS integer) IS NULL OR p.ar = CAST(:ar AS integer))
  AND (CAST(:rapporttyp AS text) IS NULL OR p.rapporttyp = upper(CAST(:rapporttyp AS text)))
  AND (CAST(:niva AS text) IS NULL OR m.niva = CAST(:niva AS text))
ORDER BY p.ar, p.ordning, n.kortnamn, m.rad;
