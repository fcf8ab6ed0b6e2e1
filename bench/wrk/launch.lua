-- POST /v1/instances: a launch of the tool bench/local registered, with one parameter and no
-- Idempotency-Key, so each request launches a new instance. The bare server gets the same request.
wrk.method = "POST"
wrk.body = '{"tool": "' .. os.getenv("BENCH_TOOL") .. '", "parameters": {"n": 1}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
dofile(os.getenv("BENCH_WRK_DIR") .. "/summary.lua")
