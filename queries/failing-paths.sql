-- The paths that fail most on a day: server errors (5xx), then client errors (4xx), every client counted.
-- Parameters: site (String), day (Date).
SELECT path, sum(hits) AS requests,
  sumIf(hits, status_class = '5xx') AS server_errors,
  sumIf(hits, status_class = '4xx') AS client_errors,
  round(server_errors / requests, 4) AS server_error_rate
FROM siftlog.responses_hourly
WHERE site = {site:String} AND toDate(hour) = {day:Date}
GROUP BY path
HAVING server_errors + client_errors > 0
ORDER BY server_errors DESC, client_errors DESC, path
LIMIT 20
