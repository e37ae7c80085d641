-- wrk script for the service-registry benchmark (bench/registry.sh): Roster's registry API against
-- etcd's closest equivalents, one script for both so that the client does comparable work.
--
-- Parameters come from the environment (wrk's setup() cannot see script arguments):
--   BENCH_SYSTEM    roster | etcd
--   BENCH_OP        heartbeat | lookup | lookup-serializable | register | register-full (etcd only) |
--                   preload (Roster: register the heartbeat pool; etcd: grant the lease pool)
--   BENCH_TARGETS   comma-separated host:port list; wrk thread i connects to target (i mod n)
--   BENCH_THREADS   number of wrk threads (preload: thread t of T walks pool ids t, t+T, ...)
--   BENCH_POOL      heartbeat pool size: Roster instances hb-<i> (i < POOL) in services hb-svc-<i mod 10>;
--                   etcd leases with IDs LEASE_BASE + i (default 10000)
--   BENCH_TTL       TTL in seconds of every instance and lease (default 300)
--   BENCH_RUN       a tag unique to this wrk run: registrations use ids "<run>-<thread>-<n>", new each time
--   BENCH_SERVICES  registrations are spread over this many services reg-svc-<k> (default 8)
--
-- What each op sends:
--   Roster heartbeat      PUT  /v1/services/hb-svc-<i%10>/instances/hb-<i>/heartbeat     (i random in pool)
--   etcd   heartbeat      POST /v3/lease/keepalive {"ID":<LEASE_BASE+i>}                  (i random in pool)
--   Roster lookup[-ser.]  GET  /v1/services/lookup-svc/instances[?consistency=serializable] (10 instances)
--   etcd   lookup[-ser.]  POST /v3/kv/range {key: "registry/lookup-svc/", range_end: "registry/lookup-svc0"
--                         [, serializable: true]}                                        (10 keys)
--   Roster register       PUT  /v1/services/reg-svc-<k>/instances/<unique id> {"host","port","ttlSeconds"}
--                         (one log entry that grants a lease and writes the instance)
--   etcd   register       POST /v3/kv/put {key: "registry/reg-svc-<k>/<unique id>", value: <the same JSON>,
--                         lease: <a pre-granted pool lease>}                             (one log entry)
--   etcd   register-full  per registration two requests, POST /v3/lease/grant {"TTL"} then /v3/kv/put
--                         with the granted lease: what a client must do for a new instance with its own lease
--
-- Counted per thread and printed by done() as one "BENCHRESULT k=v ..." line:
--   ok      successful operations (register-full: successful puts, i.e. completed registrations)
--   non2xx  answers outside 200-299; misses: 2xx answers that did not do the job (etcd keepalive of an
--           unknown lease answers 200 without "TTL"; a lookup without instances/kvs)
--   codes   the non-2xx status codes seen; BENCHSAMPLE: the first such body

local system = os.getenv("BENCH_SYSTEM") or "roster"
local op = os.getenv("BENCH_OP") or "heartbeat"
local pool = tonumber(os.getenv("BENCH_POOL") or "10000")
local ttl = tonumber(os.getenv("BENCH_TTL") or "300")
local run_tag = os.getenv("BENCH_RUN") or tostring(os.time())
local nservices = tonumber(os.getenv("BENCH_SERVICES") or "8")
local LEASE_BASE = 1000000

-- ---------------------------------------------------------------- main state: targets and results

local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")
local base64 = common.base64

function setup(thread)
   common.setup_on_targets(thread, "BENCH_TARGETS")
end

-- ---------------------------------------------------------------- thread state


local JSON = { ["Content-Type"] = "application/json" }
local ROSTER_JSON = common.roster_headers(JSON)
local ROSTER_AUTH = common.roster_headers(nil)
local instance_json = '{"host":"10.0.0.1","port":8080,"ttlSeconds":' .. ttl .. '}'

local reqs = {}          -- prebuilt requests, indexed from 0
local nreqs = 0
local next_seq, stride = 0, 1
local counter = 0        -- registrations sent by this thread
local tid = 0
local granted = {}       -- register-full: lease IDs granted and not yet used
local ngranted = 0
local etcd_reg_prefix = {}   -- etcd register: base64 of "registry/reg-svc-<k>/<run>-<thread>-" padded

ok = 0
non2xx = 0
misses = 0
codes = ""
sample = ""

local function hb_service(i) return "hb-svc-" .. (i % 10) end

function init(args)
   tid = id or 0
   math.randomseed(os.time() + tid * 7919 + math.floor(os.clock() * 1000000))
   if op == "preload" then
      next_seq = tid
      stride = tonumber(os.getenv("BENCH_THREADS") or "1")
      for i = 0, pool - 1 do
         if system == "roster" then
            reqs[i] = wrk.format("PUT", "/v1/services/" .. hb_service(i) .. "/instances/hb-" .. i, ROSTER_JSON, instance_json)
         else
            reqs[i] = wrk.format("POST", "/v3/lease/grant", JSON,
               '{"TTL":' .. ttl .. ',"ID":' .. (LEASE_BASE + i) .. '}')
         end
      end
      nreqs = pool
   elseif op == "heartbeat" then
      for i = 0, pool - 1 do
         if system == "roster" then
            reqs[i] = wrk.format("PUT", "/v1/services/" .. hb_service(i) .. "/instances/hb-" .. i .. "/heartbeat", ROSTER_AUTH)
         else
            reqs[i] = wrk.format("POST", "/v3/lease/keepalive", JSON, '{"ID":' .. (LEASE_BASE + i) .. '}')
         end
      end
      nreqs = pool
   elseif op == "lookup" or op == "lookup-serializable" then
      if system == "roster" then
         local q = (op == "lookup-serializable") and "?consistency=serializable" or ""
         reqs[0] = wrk.format("GET", "/v1/services/lookup-svc/instances" .. q, ROSTER_AUTH)
      else
         local s = (op == "lookup-serializable") and ',"serializable":true' or ""
         reqs[0] = wrk.format("POST", "/v3/kv/range", JSON, '{"key":"' .. base64("registry/lookup-svc/")
            .. '","range_end":"' .. base64("registry/lookup-svc0") .. '"' .. s .. '}')
      end
      nreqs = 1
   elseif op == "register" or op == "register-full" then
      if system == "etcd" then
         for k = 0, nservices - 1 do
            -- pad the prefix to a multiple of 3 bytes so that base64(prefix .. id) = base64(prefix) .. base64(id)
            local p = "registry/reg-svc-" .. k .. "/" .. run_tag .. "-" .. tid .. "-"
            while #p % 3 ~= 0 do p = p .. "x" end
            etcd_reg_prefix[k] = base64(p)
         end
      elseif op == "register-full" then
         error("register-full is an etcd-only op")
      end
   else
      error("unknown BENCH_OP " .. op)
   end
end

local etcd_value64 = base64(instance_json)

function request()
   if op == "preload" then
      local i = next_seq % nreqs
      next_seq = next_seq + stride
      return reqs[i]
   elseif op == "heartbeat" then
      return reqs[math.random(0, nreqs - 1)]
   elseif op == "register" or op == "register-full" then
      if system == "roster" then
         counter = counter + 1
         return wrk.format("PUT", "/v1/services/reg-svc-" .. (counter % nservices) .. "/instances/"
            .. run_tag .. "-" .. tid .. "-" .. counter, ROSTER_JSON, instance_json)
      end
      local lease
      if op == "register-full" then
         if ngranted == 0 then
            return wrk.format("POST", "/v3/lease/grant", JSON, '{"TTL":' .. ttl .. '}')
         end
         lease = granted[ngranted]
         granted[ngranted] = nil
         ngranted = ngranted - 1
      else
         lease = LEASE_BASE + math.random(0, pool - 1)
      end
      counter = counter + 1
      return wrk.format("POST", "/v3/kv/put", JSON, '{"key":"' .. etcd_reg_prefix[counter % nservices]
         .. base64(string.format("%012d", counter)) .. '","value":"' .. etcd_value64 .. '","lease":"' .. lease .. '"}')
   end
   return reqs[0]
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      common.count_non2xx(status, body)
      return
   end
   if system == "etcd" then
      if op == "heartbeat" then
         if string.find(body, '"TTL"', 1, true) then ok = ok + 1 else misses = misses + 1 end
      elseif op == "lookup" or op == "lookup-serializable" then
         if string.find(body, '"kvs"', 1, true) then ok = ok + 1 else misses = misses + 1 end
      elseif op == "register-full" then
         local lease = string.match(body, '"ID":"(%d+)"')
         if lease then
            ngranted = ngranted + 1
            granted[ngranted] = lease
         else
            ok = ok + 1
         end
      else
         ok = ok + 1
      end
   else
      if (op == "lookup" or op == "lookup-serializable") and not string.find(body, '"instanceId"', 1, true) then
         misses = misses + 1
      else
         ok = ok + 1
      end
   end
end

-- ---------------------------------------------------------------- main state: report

function done(summary, latency, requests)
   common.report(summary, latency, true)
end
