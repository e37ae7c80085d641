-- Lua shared by the wrk scripts (kv.lua, registry.lua, registry-soak.lua): thread placement on the
-- cluster's nodes, counting non-2xx answers, base64 for etcd's JSON gateway, and the report. Loaded
-- with dofile from the script's own folder.

local common = {}

-- BENCH_TOKEN: the bearer token every Roster request carries when the servers require one (BENCH_AUTH=1).
local token = os.getenv("BENCH_TOKEN")

-- Roster's request headers: `headers` (may be nil) plus the Authorization header when there is a token.
function common.roster_headers(headers)
   if token == nil or token == "" then
      return headers
   end
   local with = {}
   for k, v in pairs(headers or {}) do
      with[k] = v
   end
   with["Authorization"] = "Bearer " .. token
   return with
end

-- Every wrk thread created, in order: done() reads each one's counters.
common.threads = {}

-- wrk's setup(): thread i talks to the i-th address of the comma-separated host:port list in the
-- environment variable `targets_env` (round robin), and gets id i-1.
function common.setup_on_targets(thread, targets_env)
   local targets = {}
   for t in string.gmatch(os.getenv(targets_env) or "", "[^,]+") do
      targets[#targets + 1] = t
   end
   local n = #common.threads + 1
   if #targets > 0 then
      local host, port = string.match(targets[((n - 1) % #targets) + 1], "^(.+):(%d+)$")
      thread.addr = wrk.lookup(host, port)[1]
   end
   thread:set("id", n - 1)
   common.threads[n] = thread
end

-- wrk's response(), for an answer outside 200-299: counts it in the thread's globals that report()
-- reads (non2xx; codes, e.g. "500x3 503x1") and keeps the first such body, whitespace folded, in sample.
local code_counts = {}

function common.count_non2xx(status, body)
   non2xx = non2xx + 1
   code_counts[status] = (code_counts[status] or 0) + 1
   local parts = {}
   for c, n in pairs(code_counts) do
      parts[#parts + 1] = c .. "x" .. n
   end
   codes = table.concat(parts, " ")
   if (sample or "") == "" then
      sample = string.sub(string.gsub(body or "", "%s+", " "), 1, 300)
   end
end

local b64chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

function common.base64(s)
   local out = {}
   for i = 1, #s, 3 do
      local a, b, c = string.byte(s, i, i + 2)
      local n = a * 65536 + (b or 0) * 256 + (c or 0)
      local c1 = math.floor(n / 262144) % 64
      local c2 = math.floor(n / 4096) % 64
      local c3 = math.floor(n / 64) % 64
      local c4 = n % 64
      out[#out + 1] = b64chars:sub(c1 + 1, c1 + 1) .. b64chars:sub(c2 + 1, c2 + 1)
         .. (b and b64chars:sub(c3 + 1, c3 + 1) or "=") .. (c and b64chars:sub(c4 + 1, c4 + 1) or "=")
   end
   return table.concat(out)
end

-- wrk's done(): one BENCHRESULT line the shell scripts parse (with ok=, the answers the script counted
-- as successes, when count_ok), then the first sample answer a thread kept, if any.
function common.report(summary, latency, count_ok)
   local good, non, miss, bycode, firstsample = 0, 0, 0, {}, ""
   for _, t in ipairs(common.threads) do
      good = good + (t:get("ok") or 0)
      non = non + (t:get("non2xx") or 0)
      miss = miss + (t:get("misses") or 0)
      for c, n in string.gmatch(t:get("codes") or "", "(%d+)x(%d+)") do
         bycode[c] = (bycode[c] or 0) + tonumber(n)
      end
      local s = t:get("sample") or ""
      if firstsample == "" then firstsample = s end
   end
   local allcodes = {}
   for c, n in pairs(bycode) do
      allcodes[#allcodes + 1] = c .. "x" .. n
   end
   table.sort(allcodes)
   local e = summary.errors
   io.write(string.format(
      "BENCHRESULT requests=%d " .. (count_ok and string.format("ok=%d ", good) or "")
         .. "duration_us=%d non2xx=%d misses=%d err_connect=%d err_read=%d err_write=%d "
         .. "err_timeout=%d err_status=%d p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d mean_us=%.0f codes=%s\n",
      summary.requests, summary.duration, non, miss, e.connect, e.read, e.write, e.timeout, e.status,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
      latency.max, latency.mean, (#allcodes > 0) and table.concat(allcodes, ",") or "-"))
   if firstsample ~= "" then
      io.write("BENCHSAMPLE " .. firstsample .. "\n")
   end
end

return common
