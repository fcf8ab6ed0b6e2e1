-- GET of one instance with the bearer token (bench/local gives the URL): what a client polling
-- an instance sends. The bare server gets the same request.
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
dofile(os.getenv("BENCH_WRK_DIR") .. "/summary.lua")
