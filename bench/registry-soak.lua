-- wrk script for the registry soak (bench/soak.sh): registers every instance once, then heartbeats each
-- one every SOAK_INTERVAL seconds, for as long as wrk runs (soak.sh stops it with SIGINT).
--
-- wrk has no rate control, so this script paces itself with delay(): each wrk thread owns the instances
-- i = thread, thread + T, thread + 2T, ... and keeps them in a queue ordered by when each is next due
-- (its last send + SOAK_INTERVAL). Before each request, delay() takes the next piece of work for the
-- connection: the queue's head if it is due, else the next unregistered instance (registration runs as
-- fast as the connections left over allow), else the head again, waiting until it is due. So once
-- everything is registered the rate is instances / interval, each instance heartbeated about every
-- SOAK_INTERVAL seconds, whatever the number of connections (they only need to be enough to carry the
-- rate at the server's latency).
--
-- Environment:
--   SOAK_TARGETS    comma-separated host:port list; wrk thread i uses target (i mod n)
--   SOAK_THREADS    wrk threads (T)
--   SOAK_INSTANCES  instances in all (instance i: service soak-svc-<i mod SOAK_SERVICES>, id i-<i>)
--   SOAK_SERVICES   services (default 100)
--   SOAK_TTL        ttlSeconds of each registration (default 30)
--   SOAK_INTERVAL   seconds between two heartbeats of one instance (default 10)
--   SOAK_STATS      directory: each thread rewrites SOAK_STATS/t<n> about once a second with its counters
--                   (one line of key=value) so that soak.sh can follow the run
--
-- Counters (per thread; done() prints their sums as a "SOAKRESULT" line):
--   reg_sent reg_ok     registrations sent / answered 200 or 201 with the instance
--   hb_sent hb_ok       heartbeats sent / answered 200 with remainingSeconds
--   non2xx hb404        answers outside 200-299 / of them, "not registered" answers to a heartbeat
--                       (an instance the server no longer has: an expiry, or a failed registration)
--   rereg               registrations sent again after a "not registered" answer, as a real client
--                       would (so one lost instance does not stay lost; each is still an error)
--   max_gap_ms          longest time between two sends (registration or heartbeat) for one instance:
--                       while it stays under the TTL the client kept every instance alive
--   late                heartbeats sent more than 2/3 of the TTL after the previous send of that instance
--   steady_gap_ms steady_late  the same two, counted only from one interval after the thread's last first
--                       registration: the steady state, without the registration rush
--   codes               non-2xx status codes seen

local ffi = require("ffi")
pcall(ffi.cdef, [[
   typedef struct { long tv_sec; long tv_nsec; } soak_timespec;
   int clock_gettime(int clk_id, soak_timespec *tp);
]])
local ts = ffi.new("soak_timespec")
local function now_ms()
   ffi.C.clock_gettime(1, ts)   -- CLOCK_MONOTONIC
   return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1000000
end

local ninstances = tonumber(os.getenv("SOAK_INSTANCES") or "100000")
local nservices = tonumber(os.getenv("SOAK_SERVICES") or "100")
local ttl = tonumber(os.getenv("SOAK_TTL") or "30")
local interval_ms = tonumber(os.getenv("SOAK_INTERVAL") or "10") * 1000
local stats_dir = os.getenv("SOAK_STATS")
local late_ms = ttl * 1000 * 2 / 3

-- ---------------------------------------------------------------- main state

local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")
local threads = common.threads

function setup(thread)
   common.setup_on_targets(thread, "SOAK_TARGETS")
end

-- ---------------------------------------------------------------- thread state

local reg, hb = {}, {}            -- prebuilt requests by local index k (instance tid + k * T)
local n = 0                       -- instances of this thread
local last = {}                   -- last send time of each local instance (ms)
local q_k, q_due, q_gen = {}, {}, {}   -- the due queue, [head, tail)
local gen = {}                    -- generation of each instance: bumped when it is registered again
local rereg, rr_head, rr_tail = {}, 0, 0   -- instances answered "not registered": register them again
local head, tail = 0, 0
local a_kind, a_k = {}, {}        -- work handed out by delay(), taken by request() in order
local a_head, a_tail = 0, 0
local next_reg = 0

reg_sent, reg_ok, hb_sent, hb_ok, non2xx, hb404, late, max_gap_ms = 0, 0, 0, 0, 0, 0, 0, 0
steady_gap_ms, steady_late = 0, 0   -- the same, from one interval after this thread's last first registration
local steady_from = nil
n_delay, n_req, n_unpaired, rereg_sent, n_resp = 0, 0, 0, 0, 0
local nthreads = 1
local idle_request = nil
codes = ""
local last_stats = 0
local tid = 0

function init(args)
   tid = id or 0
   nthreads = tonumber(os.getenv("SOAK_THREADS") or "1")
   local headers = { ["Content-Type"] = "application/json" }
   local body = '{"host":"10.0.0.1","port":8080,"ttlSeconds":' .. ttl .. '}'
   idle_request = wrk.format("GET", "/actuator/health/liveness")
   local i = tid
   while i < ninstances do
      local path = "/v1/services/soak-svc-" .. (i % nservices) .. "/instances/i-" .. i
      reg[n] = wrk.format("PUT", path, headers, body)
      gen[n] = 0
      hb[n] = wrk.format("PUT", path .. "/heartbeat")
      n = n + 1
      i = i + nthreads
   end
end

local function write_stats(t)
   if not stats_dir then return end
   local f = io.open(stats_dir .. "/t" .. tid, "w")
   if f then
      f:write(string.format("reg_sent=%d reg_ok=%d hb_sent=%d hb_ok=%d non2xx=%d hb404=%d late=%d max_gap_ms=%d registered=%d of=%d rereg=%d delays=%d requests=%d unpaired=%d queued=%d inflight=%d steady_gap_ms=%d steady_late=%d\n",
         reg_sent, reg_ok, hb_sent, hb_ok, non2xx, hb404, late, max_gap_ms, next_reg, n, rereg_sent, n_delay, n_req, n_unpaired, a_tail - a_head, n_req - n_resp, steady_gap_ms, steady_late))
      f:close()
   end
   last_stats = t
end

-- The next piece of work at time t: ("h", k) heartbeat, ("r", k) registration or ("-") nothing, and how
-- long to wait before sending it.
function take_work(t)
   -- drop queue entries of instances registered again since (their new registration is queued too)
   while head < tail and q_gen[head] ~= gen[q_k[head]] do
      q_k[head], q_due[head], q_gen[head] = nil, nil, nil
      head = head + 1
   end
   local kind, k, wait = nil, nil, 0
   if rr_head < rr_tail then
      kind, k = "r", rereg[rr_head]
      rereg[rr_head] = nil
      rr_head = rr_head + 1
      gen[k] = gen[k] + 1
      rereg_sent = rereg_sent + 1
   elseif head < tail and q_due[head] <= t then
      -- a due heartbeat first: the instances already registered keep to their schedule, as a fleet's
      -- clients do whatever else is registering, so any lateness is the server's
      kind, k = "h", q_k[head]
   elseif next_reg < n then
      kind, k = "r", next_reg
      next_reg = next_reg + 1
   elseif head < tail then
      kind, k = "h", q_k[head]
      wait = q_due[head] - t
   else
      kind, wait = "-", 50    -- every instance is in flight (more connections than instances): idle
   end
   if kind == "h" then
      q_k[head], q_due[head], q_gen[head] = nil, nil, nil
      head = head + 1
   end
   return kind, k, wait
end

function delay()
   local t = now_ms()
   n_delay = n_delay + 1
   local kind, k, wait = take_work(t)
   a_kind[a_tail], a_k[a_tail] = kind, k
   a_tail = a_tail + 1
   return math.floor(wait)
end

function request()
   if n_delay == 0 then
      -- wrk calls request() once in thread 0 right after init() to check the script, and never sends
      -- that request: hand it something that takes no work from the queue
      return idle_request
   end
   local t = now_ms()
   n_req = n_req + 1
   if t - last_stats >= 1000 then write_stats(t) end
   local kind, k
   if a_head < a_tail then
      kind, k = a_kind[a_head], a_k[a_head]
      a_kind[a_head], a_k[a_head] = nil, nil
      a_head = a_head + 1
   else
      -- wrk asked for a request without a delay() before it (it does when it reconnects with a request
      -- in flight): take the work here rather than lose track of an instance
      n_unpaired = n_unpaired + 1
      kind, k = take_work(t)
   end
   if kind == "-" then
      -- nothing to do: a cheap request that changes nothing (counted by wrk, not here)
      return idle_request
   end
   local prev = last[k]
   last[k] = t
   q_k[tail], q_due[tail], q_gen[tail] = k, t + interval_ms, gen[k]
   tail = tail + 1
   if kind == "r" then
      reg_sent = reg_sent + 1
      return reg[k]
   end
   local gap = t - prev
   if gap > max_gap_ms then max_gap_ms = math.floor(gap) end
   if gap > late_ms then late = late + 1 end
   if steady_from == nil and next_reg >= n then steady_from = t + interval_ms end
   if steady_from and t >= steady_from then
      if gap > steady_gap_ms then steady_gap_ms = math.floor(gap) end
      if gap > late_ms then steady_late = steady_late + 1 end
   end
   hb_sent = hb_sent + 1
   return hb[k]
end

function response(status, headers, body)
   n_resp = n_resp + 1
   if status >= 200 and status <= 299 then
      if string.find(body, '"remainingSeconds"', 1, true) then
         hb_ok = hb_ok + 1
      elseif string.find(body, '"instanceId"', 1, true) then
         reg_ok = reg_ok + 1
      end
      return
   end
   common.count_non2xx(status, body)
   if status == 404 and string.find(body or "", "not registered", 1, true) then
      hb404 = hb404 + 1
      -- as a real client does: register it again (the body names the instance)
      local i = tonumber(string.match(body, "'i%-(%d+)'"))
      if i and (i - tid) % nthreads == 0 then
         rereg[rr_tail] = (i - tid) / nthreads
         rr_tail = rr_tail + 1
      end
   end
end

-- ---------------------------------------------------------------- main state: report

function done(summary, latency, requests)
   local sum = { reg_sent = 0, reg_ok = 0, hb_sent = 0, hb_ok = 0, non2xx = 0, hb404 = 0, late = 0, rereg_sent = 0, steady_late = 0 }
   local gap, sgap, bycode = 0, 0, {}
   for _, t in ipairs(threads) do
      for key, _ in pairs(sum) do sum[key] = sum[key] + (t:get(key) or 0) end
      gap = math.max(gap, t:get("max_gap_ms") or 0)
      sgap = math.max(sgap, t:get("steady_gap_ms") or 0)
      for c, m in string.gmatch(t:get("codes") or "", "(%d+)x(%d+)") do
         bycode[c] = (bycode[c] or 0) + tonumber(m)
      end
   end
   local allcodes = {}
   for c, m in pairs(bycode) do allcodes[#allcodes + 1] = c .. "x" .. m end
   table.sort(allcodes)
   local e = summary.errors
   io.write(string.format(
      "SOAKRESULT requests=%d duration_us=%d reg_sent=%d reg_ok=%d hb_sent=%d hb_ok=%d non2xx=%d hb404=%d rereg=%d late=%d "
         .. "max_gap_ms=%d steady_gap_ms=%d steady_late=%d err_connect=%d err_read=%d err_write=%d err_timeout=%d p50_us=%d p99_us=%d p999_us=%d max_us=%d codes=%s\n",
      summary.requests, summary.duration, sum.reg_sent, sum.reg_ok, sum.hb_sent, sum.hb_ok, sum.non2xx, sum.hb404,
      sum.rereg_sent, sum.late, gap, sgap, sum.steady_late, e.connect, e.read, e.write, e.timeout, latency:percentile(50), latency:percentile(99),
      latency:percentile(99.9), latency.max, (#allcodes > 0) and table.concat(allcodes, ",") or "-"))
end
