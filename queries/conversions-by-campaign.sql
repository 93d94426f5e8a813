-- Conversions of a goal and conversion rate by utm_campaign (with its utm_source and utm_medium).
-- touch: 'visit' or 'visitor' (see conversions-by-entry-page.sql).
-- Parameters: site (String), from (Date), to (Date), goal (String), touch (String).
SELECT if({touch:String} = 'visitor', first_utm_campaign, utm_campaign) AS campaign,
  if({touch:String} = 'visitor', first_utm_source, utm_source) AS campaign_source,
  if({touch:String} = 'visitor', first_utm_medium, utm_medium) AS campaign_medium,
  sum(conversions) AS conversion_count, sum(visits) AS visit_count,
  round(conversion_count / visit_count, 4) AS conversion_rate
FROM siftlog.goals_daily
WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date} AND goal = {goal:String}
GROUP BY campaign, campaign_source, campaign_medium
HAVING campaign != ''
ORDER BY conversion_count DESC, visit_count DESC, campaign
