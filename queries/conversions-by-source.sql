-- Conversions of a goal and conversion rate by referrer class (direct, search, social, email, other) and
-- source (the search engine, social network or mail service). touch: 'visit' or 'visitor' (see
-- conversions-by-entry-page.sql).
-- Parameters: site (String), from (Date), to (Date), goal (String), touch (String).
SELECT if({touch:String} = 'visitor', first_referrer_class, referrer_class) AS channel,
  if({touch:String} = 'visitor', first_referrer_source, referrer_source) AS source,
  sum(conversions) AS conversion_count, sum(visits) AS visit_count,
  round(conversion_count / visit_count, 4) AS conversion_rate
FROM siftlog.goals_daily
WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date} AND goal = {goal:String}
GROUP BY channel, source
ORDER BY conversion_count DESC, visit_count DESC, channel, source
