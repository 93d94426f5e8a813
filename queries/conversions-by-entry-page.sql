-- Conversions of a goal and conversion rate (conversions / visits) by entry page. People's visits only;
-- a visit counts on the day it started. touch = 'visit': how each visit came; touch = 'visitor': how the
-- visitor's first visit that day came.
-- Parameters: site (String), from (Date), to (Date), goal (String), touch (String: visit or visitor).
SELECT if({touch:String} = 'visitor', first_entry_page, entry_page) AS page,
  sum(conversions) AS conversion_count, sum(visits) AS visit_count,
  round(conversion_count / visit_count, 4) AS conversion_rate
FROM siftlog.goals_daily
WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date} AND goal = {goal:String}
GROUP BY page
ORDER BY conversion_count DESC, visit_count DESC, page
