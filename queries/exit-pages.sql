-- Exit pages (the last page view of people's visits), per site and day.
-- Parameters: site (String), day (Date).
SELECT path, sum(exits) AS exit_count
FROM siftlog.pages_daily
WHERE site = {site:String} AND day = {day:Date}
GROUP BY path
HAVING exit_count > 0
ORDER BY exit_count DESC, path
LIMIT 20
