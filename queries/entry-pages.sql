-- Entry pages (the first page view of people's visits) with their bounce rate, per site and day.
-- Parameters: site (String), day (Date).
SELECT path, sum(entries) AS entry_count, round(sum(bounces) / entry_count, 4) AS bounce_rate
FROM siftlog.pages_daily
WHERE site = {site:String} AND day = {day:Date}
GROUP BY path
HAVING entry_count > 0
ORDER BY entry_count DESC, path
LIMIT 20
