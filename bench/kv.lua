-- wrk script for the Roster vs etcd benchmark (bench/run.sh). One script drives both systems so that
-- the client does the same work for each: every request is built once in init() and only looked up
-- in request(); response() only counts.
--
-- Parameters come from the environment (wrk's setup() cannot see script arguments):
--   BENCH_SYSTEM   roster | etcd
--   BENCH_OP       put | get | get-serializable | preload
--   BENCH_TARGETS  comma-separated host:port list; wrk thread i connects to target (i mod n), so with
--                  one thread per node the connections are split evenly over the nodes and all
--                  latencies land in wrk's single histogram (exact merged percentiles).
--   BENCH_KEYS     keyspace size (default 10000); keys are "bench/key-" .. 16-digit suffix (26 bytes)
--   BENCH_VALUE_SIZE  value size in bytes (default 256)
--
-- Key choice: uniform random over the keyspace (put/get), or each key in turn (preload: thread t of T
-- writes keys t, t+T, t+2T, ... and wraps around until run.sh stops it).
--
-- Counted per thread and printed by done() as one "BENCHRESULT k=v ..." line:
--   non2xx   responses with a status outside 200-299 (Roster answers 404 for a missing key)
--   misses   etcd range answers (200) without "kvs", i.e. a read that found no key
--   codes    the non-2xx status codes seen, e.g. "500x3 503x1"; sample: the first such body

local system = os.getenv("BENCH_SYSTEM") or "roster"
local op = os.getenv("BENCH_OP") or "get"
local nkeys = tonumber(os.getenv("BENCH_KEYS") or "10000")
local value_size = tonumber(os.getenv("BENCH_VALUE_SIZE") or "256")

-- ---------------------------------------------------------------- main state: targets and results

local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")
local base64 = common.base64

function setup(thread)
   common.setup_on_targets(thread, "BENCH_TARGETS")
end

-- ---------------------------------------------------------------- thread state: requests


local function key_of(i)
   return string.format("bench/key-%016d", i)
end

-- The same 256 printable ASCII bytes for every write (JSON- and URL-safe, no escaping needed).
local function make_value(size)
   local alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
   local parts = {}
   for i = 1, size do
      local k = ((i * 7) % #alphabet) + 1
      parts[i] = alphabet:sub(k, k)
   end
   return table.concat(parts)
end

local reqs = {}
local next_seq = 0
local stride = 1

non2xx = 0
misses = 0
codes = ""
sample = ""
local check_hit = false

function init(args)
   local tid = id or 0
   math.randomseed(os.time() + tid * 7919 + math.floor(os.clock() * 1000000))
   local value = make_value(value_size)
   local headers = { ["Content-Type"] = "application/json" }
   if system == "roster" then
      local auth = common.roster_headers(nil)
      headers = common.roster_headers(headers)
      for i = 0, nkeys - 1 do
         local path = "/v1/kv/" .. key_of(i)
         if op == "put" or op == "preload" then
            reqs[i] = wrk.format("PUT", path, headers, '{"value":"' .. value .. '"}')
         elseif op == "get" then
            reqs[i] = wrk.format("GET", path, auth)
         elseif op == "get-serializable" then
            reqs[i] = wrk.format("GET", path .. "?consistency=serializable", auth)
         else
            error("unknown BENCH_OP " .. op)
         end
      end
   elseif system == "etcd" then
      local value64 = base64(value)
      for i = 0, nkeys - 1 do
         local key64 = base64(key_of(i))
         if op == "put" or op == "preload" then
            reqs[i] = wrk.format("POST", "/v3/kv/put", headers,
               '{"key":"' .. key64 .. '","value":"' .. value64 .. '"}')
         elseif op == "get" then
            reqs[i] = wrk.format("POST", "/v3/kv/range", headers, '{"key":"' .. key64 .. '"}')
         elseif op == "get-serializable" then
            reqs[i] = wrk.format("POST", "/v3/kv/range", headers,
               '{"key":"' .. key64 .. '","serializable":true}')
         else
            error("unknown BENCH_OP " .. op)
         end
      end
      check_hit = (op == "get" or op == "get-serializable")
   else
      error("unknown BENCH_SYSTEM " .. system)
   end
   if op == "preload" then
      next_seq = tid
      stride = tonumber(os.getenv("BENCH_THREADS") or "1")
   end
end

function request()
   if op == "preload" then
      local i = next_seq % nkeys
      next_seq = next_seq + stride
      return reqs[i]
   end
   return reqs[math.random(0, nkeys - 1)]
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      common.count_non2xx(status, body)
   elseif check_hit and not string.find(body, '"kvs"', 1, true) then
      misses = misses + 1
   end
end

-- ---------------------------------------------------------------- main state: report

function done(summary, latency, requests)
   common.report(summary, latency, false)
end
