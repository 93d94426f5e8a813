-- The slowest paths of a day, by their 90th percentile response time, among paths with at least
-- min_timed timed requests. quantileTiming is exact below 1024 ms and in 16 ms steps above.
-- Parameters: site (String), day (Date), min_timed (UInt32).
SELECT path, sum(hits) AS requests, sum(timed) AS timed_count,
  round(sum(response_ms_sum) / timed_count, 1) AS mean_ms,
  quantilesTimingMerge(0.5, 0.9, 0.99)(response_ms) AS p50_p90_p99_ms
FROM siftlog.responses_hourly
WHERE site = {site:String} AND toDate(hour) = {day:Date}
GROUP BY path
HAVING timed_count >= {min_timed:UInt32}
ORDER BY p50_p90_p99_ms[2] DESC, path
LIMIT 20
