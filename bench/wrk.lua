-- wrk script for the benchmark scenarios: wrk ... -s bench/wrk.lua URL -- SCENARIO TOKEN [RUN]
-- (RUN, 0-4: which share of the seeded messages the "delete" scenario deletes, so that every run deletes anew)
-- (for "callers": wrk ... -- callers FILE, a file of tokens, one per line, of callers who may post into any room)
-- Rooms and messages are the seeded ones (bench/seed.sql): room r = %08x-0000-7000-8000-000000000000.
-- "floor": a request that does all a read does but its SQL: a caller outside pro and admin lists all rooms and is
-- refused with a 403 problem by the service before any statement (the token check, the filters, Jersey, the EJB
-- call, the problem's JSON). Its rate is about the most any request of this server reaches. (Not a 400: the HTTP
-- server closes the connection after every 400, so that would measure reconnecting.)
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  scenario = args[1]
  token = args[2]
  counter = (tonumber(args[3]) or 0) * 5000
  math.randomseed(os.time() * 1000 + id)
  tokens = {}
  if scenario == "callers" then
    for line in io.lines(args[2]) do table.insert(tokens, line) end
  end
  unexpected = 0
  if scenario == "floor" then
    -- its answer is a 403: any other status is the error (wrk counts every status above 399 as one)
    response = function(status)
      if status ~= 403 then unexpected = unexpected + 1 end
    end
  end
end

local function room(r)
  return string.format("%08x-0000-7000-8000-000000000000", r)
end

function request()
  local headers = { ["Authorization"] = "Bearer " .. token }
  if scenario == "callers" then
    headers["Authorization"] = "Bearer " .. tokens[math.random(1, #tokens)]
    headers["Content-Type"] = "application/json"
    return wrk.format("POST", "/room/" .. room(math.random(1, 1000)) .. "/chat", headers, '{"chat":"benchmark message"}')
  elseif scenario == "post" or scenario == "hot" then
    headers["Content-Type"] = "application/json"
    local r = scenario == "hot" and 1 or math.random(1, 1000)
    return wrk.format("POST", "/room/" .. room(r) .. "/chat", headers, '{"chat":"benchmark message"}')
  elseif scenario == "get" then
    local r, p = math.random(1, 1000), math.random(1, 100)
    return wrk.format("GET", string.format("/room/%s/chat/%08x-0000-7000-8000-%012x", room(r), r, p), headers)
  elseif scenario == "history" then
    return wrk.format("GET", "/room/" .. room(math.random(1, 1000)) .. "/chat?limit=50&before=2147483647", headers)
  elseif scenario == "edit" then
    -- the author edits one of the first 50 seeded messages of a random room, to a new text each time
    counter = counter + 1
    local r, p = math.random(1, 1000), math.random(1, 50)
    headers["Content-Type"] = "application/json"
    return wrk.format("PATCH", string.format("/room/%s/chat/%08x-0000-7000-8000-%012x", room(r), r, p), headers,
      string.format('{"chat":"edited %d-%d"}', id, counter))
  elseif scenario == "delete" then
    -- the author deletes seeded messages 51-100, each once: thread t sweeps rooms 500(t-1)+1 to 500t, position by
    -- position, from where the run's share begins (5,000 deletions per thread and run)
    counter = counter + 1
    local r = (counter - 1) % 500 + 1 + ((id - 1) % 2) * 500
    local p = 51 + math.floor((counter - 1) / 500) % 50
    return wrk.format("DELETE", string.format("/room/%s/chat/%08x-0000-7000-8000-%012x", room(r), r, p), headers)
  elseif scenario == "floor" then
    return wrk.format("GET", "/room", headers)
  elseif scenario == "chat" then
    counter = counter + 1
    headers["Content-Type"] = "application/json"
    local body = string.format('{"scope":"bench-%d-%d-%d","audience":"bench"}', id, counter, math.random(1, 2000000000))
    return wrk.format("POST", "/api/v1/chats", headers, body)
  end
  error("unknown scenario " .. tostring(scenario))
end

function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.status + e.connect + e.read + e.write + e.timeout
  if threads[1]:get("scenario") == "floor" then
    errors = e.connect + e.read + e.write + e.timeout
    for _, thread in ipairs(threads) do errors = errors + thread:get("unexpected") end
  end
  io.write(string.format("RESULT requests=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f errors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, errors))
end
