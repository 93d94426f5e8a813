-- Visitors, visits, page views, views per visit, bounce rate, mean and median visit duration, per day.
-- People only (enrich.people: browsers and apps by default).
-- visitors and pageviews count the day's requests; the visit measures count the visits that started that
-- day (a visit across midnight counts once, on its first day, with its whole duration). Bounce rate, views
-- per visit and duration are over visits with at least one page view.
-- Parameters: site (String), from (Date), to (Date).
SELECT toDate(hour) AS day,
  uniqCombinedMerge(visitors) AS visitor_count,
  sum(visits) AS visit_count,
  sum(pageviews) AS pageview_count,
  sum(page_visits) AS visits_with_pages,
  round(pageview_count / visits_with_pages, 2) AS views_per_visit,
  round(sum(bounces) / visits_with_pages, 4) AS bounce_rate,
  round(sum(visit_seconds_sum) / visits_with_pages) AS mean_visit_seconds,
  quantileTimingMerge(0.5)(visit_seconds) AS median_visit_seconds
FROM siftlog.traffic_hourly
WHERE site = {site:String} AND toDate(hour) BETWEEN {from:Date} AND {to:Date}
GROUP BY day
ORDER BY day
