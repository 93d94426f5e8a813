-- Clicks per link of each mailing, with unique clickers and the click-through rate (unique clickers of
-- the link / unique openers of the mailing, same day).
-- Parameters: site (String), from (Date), to (Date).
SELECT campaign, link, sum(clicks) AS click_count, uniqCombinedMerge(clickers) AS unique_clicks,
  round(unique_clicks / any(openers_of_campaign), 4) AS click_through_rate
FROM siftlog.email_daily
INNER JOIN (
  SELECT campaign AS mailing, uniqCombinedMerge(openers) AS openers_of_campaign
  FROM siftlog.email_daily
  WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date}
  GROUP BY mailing
) AS opened ON campaign = opened.mailing
WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date} AND link != ''
GROUP BY campaign, link
ORDER BY click_count DESC, campaign, link
