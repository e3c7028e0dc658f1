-- description: Share of indicators meeting their annual target (årsmål) per district and period.
-- param ar: year (default: all)
-- param rapporttyp: T1, T2 or VB (default: all)
-- param kf_indikator: true to count only KF indicators (default: all)
WITH rows AS (
    SELECT
        ra.namnd_id,
        ra.period_id,
        CASE WHEN i.riktning = 'lagre' THEN u.varde <= r.arsmal ELSE u.varde >= r.arsmal END AS uppnatt
    FROM indikatorrad r
    JOIN indikator i ON i.id = r.indikator_id
    JOIN rapport ra ON ra.id = r.rapport_id
    JOIN utfall u ON u.indikatorrad_id = r.id AND u.kon = 'totalt'
    WHERE u.varde IS NOT NULL AND r.arsmal IS NOT NULL
      AND (CAST(:kf_indikator AS boolean) IS NULL OR r.kf_indikator = CAST(:kf_indikator AS boolean))
)
SELECT
    n.kortnamn                                                     AS namnd,
    p.ar,
    p.rapporttyp,
    count(*)                                                       AS indikatorer_med_mal_och_utfall,
    count(*) FILTER (WHERE rows.uppnatt)                           AS uppnadda,
    round(100.0 * count(*) FILTER (WHERE rows.uppnatt) / count(*), 1) AS andel_uppnadda_procent
FROM rows
JOIN namnd n ON n.id = rows.namnd_id
JOIN period p ON p.id = rows.period_id
WHERE (CAST(:ar AS integer) IS NULL OR p.ar = CAST(:ar AS integer))
  AND (CAST(:rapporttyp AS text) IS NULL OR p.rapporttyp = upper(CAST(:rapporttyp AS text)))
GROUP BY n.kortnamn, p.ar, p.ordning, p.rapporttyp
ORDER BY p.ar, p.ordning, andel_uppnadda_procent DESC;
