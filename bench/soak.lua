-- wrk script for bench/soak.sh: a mix of staff API traffic (as one case manager, bearer token
-- $BENCH_TOKEN, over the client ids in $IDS_FILE) and public pages, in fixed proportions:
--   40% read a client, 15% add a note, 10% read a client's notes, 10% the caseload,
--   25% a public page (English and Spanish).
-- Every response that is neither 200 nor 201 (a note's) is counted and printed at the end with the
-- first one's status, so errors cannot hide in the throughput.
--
--   IDS_FILE=ids.txt BENCH_TOKEN=... wrk -t2 -c8 -d30m -s bench/soak.lua http://127.0.0.1:PORT

local threads = {}

function setup(thread)
   thread:set("thread_index", #threads)
   table.insert(threads, thread)
end

local ids = {}
local auth = {}
local json = {}
local counter = 0

local pages = { "/", "/signs", "/recruitment", "/leaving", "/services", "/resources",
                "/safety", "/learn", "/myths", "/contact", "/check", "/es/" }

function init(args)
   local token = os.getenv("BENCH_TOKEN") or error("set BENCH_TOKEN")
   auth = { ["Authorization"] = "Bearer " .. token }
   json = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
   local file = assert(io.open(os.getenv("IDS_FILE") or error("set IDS_FILE"), "r"))
   for line in file:lines() do
      if line ~= "" then table.insert(ids, line) end
   end
   file:close()
   counter = thread_index * 7919
   -- Globals, not locals: `done` reads them from each thread with thread:get.
   failures = 0
   first_failure = ""
end

function request()
   counter = counter + 1
   local id = ids[(counter % #ids) + 1]
   local slot = counter % 20
   local req
   if slot < 8 then
      req = wrk.format("GET", "/api/v1/clients/" .. id, auth)
   elseif slot < 11 then
      local body = '{"text":"Soak note ' .. counter .. ': checked in by phone, all well."}'
      req = wrk.format("POST", "/api/v1/clients/" .. id .. "/notes", json, body)
   elseif slot < 13 then
      req = wrk.format("GET", "/api/v1/clients/" .. id .. "/notes", auth)
   elseif slot < 15 then
      req = wrk.format("GET", "/api/v1/clients?limit=50", auth)
   else
      req = wrk.format("GET", pages[(counter % #pages) + 1], {})
   end
   return req
end

function response(status, headers, body)
   if status ~= 200 and status ~= 201 then
      failures = failures + 1
      if first_failure == "" then
         first_failure = status .. " " .. string.sub(body or "", 1, 200)
      end
   end
end

function done(summary, latency, requests)
   local total = 0
   local first = ""
   for _, thread in ipairs(threads) do
      total = total + thread:get("failures")
      if first == "" then first = thread:get("first_failure") end
   end
   io.write(string.format("soak: requests %d, failures %d%s\n", summary.requests, total,
                          first ~= "" and (", first: " .. first) or ""))
end
