-- Response times of a day by hour: requests with a logged duration and their p50, p90, p99 in ms.
-- Every request, bots included; NULL where the format logs no duration (never 0).
-- Parameters: site (String), day (Date).
SELECT hour, sum(hits) AS requests, sum(timed) AS timed_count,
  quantilesTimingMerge(0.5, 0.9, 0.99)(response_ms) AS p50_p90_p99_ms
FROM siftlog.responses_hourly
WHERE site = {site:String} AND toDate(hour) = {day:Date}
GROUP BY hour
ORDER BY hour
