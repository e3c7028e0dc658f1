-- description: Share of indicators meeting their annual target (årsmål) per district and period (forecast in T1/T2, outcome in VB).
-- param ar: year (default: all)
-- param rapporttyp: T1, T2 or VB (default: all)
-- param kf_indikator: true to count only KF indicators (default: all)
SELECT
    n.kortnamn                                                              AS namnd,
    p.ar,
    p.rapporttyp,
    count(*)                                                                AS indikatorer_med_mal_och_utfall,
    count(*) FILTER (WHERE r.arsmal_uppnatt)                                AS uppnadda,
    round(100.0 * count(*) FILTER (WHERE r.arsmal_uppnatt) / count(*), 1)   AS andel_uppnadda_procent
FROM period p
JOIN rapport ra ON ra.period_id = p.id
JOIN namnd n ON n.id = ra.namnd_id
JOIN indikatorrad r ON r.rapport_id = ra.id AND r.arsmal_uppnatt IS NOT NULL
WHERE (CAST(:ar AS integer) IS NULL OR p.ar = CAST(:ar AS integer))
  AND (CAST(:rapporttyp AS text) IS NULL OR p.rapporttyp = upper(CAST(:rapporttyp AS text)))
  AND (CAST(:kf_indikator AS boolean) IS NULL OR r.kf_indikator = CAST(:kf_indikator AS boolean))
GROUP BY n.kortnamn, p.ar, p.ordning, p.rapporttyp
ORDER BY p.ar, p.ordning, andel_uppnadda_procent DESC;
