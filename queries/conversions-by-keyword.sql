-- Conversions of a goal and conversion rate by search keyword (visits that came from a search engine that
-- passed one). touch: 'visit' or 'visitor' (see conversions-by-entry-page.sql).
-- Parameters: site (String), from (Date), to (Date), goal (String), touch (String).
SELECT if({touch:String} = 'visitor', first_search_keyword, search_keyword) AS keyword,
  sum(conversions) AS conversion_count, sum(visits) AS visit_count,
  round(conversion_count / visit_count, 4) AS conversion_rate
FROM siftlog.goals_daily
WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date} AND goal = {goal:String}
GROUP BY keyword
HAVING keyword != ''
ORDER BY conversion_count DESC, visit_count DESC, keyword
