-- wrk script for bench/read-client.sh: GET $BENCH_PATH{id}$BENCH_SUFFIX (default
-- /api/v1/clients/{id}) with a bearer token ($BENCH_TOKEN) or a session cookie ($BENCH_COOKIE),
-- cycling over the client ids in the file named by $IDS_FILE (one id a line; without IDS_FILE,
-- $BENCH_PATH alone), each thread starting at a different place in the list. $BENCH_JSON is
-- posted as a JSON body instead (a service recorded). Counts every response that is not the one
-- expected ($BENCH_STATUS, default 200) and prints the count (and the first such status and body)
-- when the run is done, so a run that "went fast" because it was answering errors cannot pass
-- unnoticed.
--
--   IDS_FILE=ids.txt BENCH_TOKEN=... wrk -t2 -c64 -d15s --latency -s bench/read-client.lua http://127.0.0.1:PORT

local threads = {}
local thread_count = 0

function setup(thread)
   thread:set("thread_index", thread_count)
   thread_count = thread_count + 1
   table.insert(threads, thread)
end

local ids = {}
local next_index = 1
local headers = {}
local prefix = "/api/v1/clients/"
local suffix = ""
local method = "GET"
local body = nil
local expected = 200

local function set(name)
   local value = os.getenv(name)
   return value ~= nil and value ~= ""
end

function init(args)
   prefix = os.getenv("BENCH_PATH") or prefix
   suffix = os.getenv("BENCH_SUFFIX") or ""
   expected = tonumber(os.getenv("BENCH_STATUS") or "200")
   -- A posted form (the staff search): BENCH_BODY is sent with BENCH_METHOD, from BENCH_ORIGIN.
   method = os.getenv("BENCH_METHOD") or "GET"
   body = os.getenv("BENCH_BODY")
   if set("BENCH_ORIGIN") then
      headers["Origin"] = os.getenv("BENCH_ORIGIN")
      headers["Content-Type"] = "application/x-www-form-urlencoded"
   end
   if set("BENCH_JSON") then
      method = "POST"
      body = os.getenv("BENCH_JSON")
      headers["Content-Type"] = "application/json"
   end
   if set("BENCH_COOKIE") then
      headers["Cookie"] = os.getenv("BENCH_COOKIE")
   elseif set("BENCH_TOKEN") then
      headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
   else
      error("set BENCH_TOKEN or BENCH_COOKIE")
   end
   if set("IDS_FILE") then
      local path = os.getenv("IDS_FILE")
      local file = assert(io.open(path, "r"))
      for line in file:lines() do
         if line ~= "" then
            table.insert(ids, line)
         end
      end
      file:close()
      if #ids == 0 then
         error("no client ids in " .. path)
      end
   else
      ids = { "" }
   end
   -- Spread the threads over the list so they do not read the same client at the same moment.
   next_index = (thread_index * math.floor(#ids / 2 + 0.5)) % #ids + 1
   non200 = 0
   first_status = ""
   first_body = ""
end

function request()
   local id = ids[next_index]
   next_index = next_index % #ids + 1
   return wrk.format(method, prefix .. id .. suffix, headers, body)
end

function response(status, _, body)
   if status ~= expected then
      non200 = non200 + 1
      if first_status == "" then
         first_status = tostring(status)
         first_body = string.sub(body or "", 1, 200)
      end
   end
end

function done(summary, latency, requests)
   local total = 0
   for _, thread in ipairs(threads) do
      total = total + thread:get("non200")
      local status = thread:get("first_status")
      if status ~= "" then
         print("first non-200 response: " .. status .. " " .. thread:get("first_body"))
      end
   end
   -- "non-200" is what read-client.sh reads: here it counts every status but the one expected.
   print(string.format("non-200 responses: %d of %d", total, summary.requests))
   print(string.format("socket errors: connect %d, read %d, write %d, timeout %d",
      summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
