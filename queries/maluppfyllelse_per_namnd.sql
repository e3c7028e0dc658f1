-- description: Share of indicators meeting their annual target (årsmål) per district and period.
-- param ar: year (default: all)
-- param rapporttyp: T1, T2 or VB (default: all)
-- param kf_indikator: true to count only KF indicators (default: all)
SELECT
    n.kortnamn                                                           AS namnd,
    p.ar,
    p.rapporttyp,
    count(*)                                                             AS indikatorer_med_mal_och_utfall,
    count(*) FILTER (WHERE x.uppnatt)                                    AS uppnadda,
    round(100.0 * count(*) FILTER (WHERE x.uppnatt) / count(*), 1)       AS andel_uppnadda_procent
FROM period p
JOIN rapport ra ON ra.period_id = p.id
JOIN namnd n ON n.id = ra.namnd_id
JOIN utfall u ON u.rapport_id = ra.id AND u.kon = 'totalt' AND u.varde IS NOT NULL
JOIN indikatorrad r ON r.id = u.indikatorrad_id AND r.arsmal IS NOT NULL
JOIN indikator i ON i.id = u.indikator_id
CROSS JOIN LATERAL (
    SELECT CASE WHEN i.riktning = 'lagre' THEN u.varde <= r.arsmal ELSE u.varde >= r.arsmal END AS uppnatt
) x
WHERE (CAST(:ar AS integer) IS NULL OR p.ar = CAST(:ar AS integer))
  AND (CAST(:rapporttyp AS text) IS NULL OR p.rapporttyp = upper(CAST(:rapporttyp AS text)))
  AND (CAST(:kf_indikator AS boolean) IS NULL OR r.kf_indikator = CAST(:kf_indikator AS boolean))
GROUP BY n.kortnamn, p.ar, p.ordning, p.rapporttyp
ORDER BY p.ar, p.ordning, andel_uppnadda_procent DESC;
