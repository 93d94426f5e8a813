-- E-mail opens and clicks per mailing: totals, unique recipients (keyed daily hashes, never the
-- recipient) and click-to-open rate. Every open counts, whoever fetched the pixel (mail services fetch it
-- through image proxies). Unique recipients are per mailing and day: over several days this sums the
-- daily uniques.
-- Parameters: site (String), from (Date), to (Date).
SELECT campaign,
  sum(opens) AS open_count,
  uniqCombinedMerge(openers) AS unique_opens,
  sum(clicks) AS click_count,
  uniqCombinedMerge(clickers) AS unique_clicks,
  round(unique_clicks / unique_opens, 4) AS click_to_open_rate
FROM siftlog.email_daily
WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date}
GROUP BY campaign
ORDER BY open_count DESC, campaign
