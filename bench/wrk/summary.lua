-- Shared by the request scripts: at the end of a run, one line bench/local parses, with wrk's
-- own counts. Latencies are wrk's, in microseconds; non2xx is what wrk reports as "Non-2xx or
-- 3xx responses" (statuses of 400 and above); socket_errors adds connect, read, write and
-- timeout errors (a timed-out request has no latency, so many of them make the p99 too kind).
function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "WRK requests=%d duration_us=%d rps=%.2f p50_us=%d p99_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration, summary.requests / summary.duration * 1e6,
    latency:percentile(50), latency:percentile(99), errors.status,
    errors.connect + errors.read + errors.write + errors.timeout))
end
