-- Replay pre-signed Meta deliveries (benchmarks/social/gen_deliveries.py), one per request.
-- DELIVERIES=<file of "signature<TAB>body" lines>; each wrk thread takes its own slice.
local deliveries = {}
local index = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_no", #threads)
end

function init(args)
  local path = os.getenv("DELIVERIES")
  local n = 0
  local total_threads = tonumber(os.getenv("WRK_THREADS") or "2")
  for line in io.lines(path) do
    n = n + 1
    if n % total_threads == (thread_no - 1) then
      local tab = line:find("\t", 1, true)
      table.insert(deliveries, {line:sub(1, tab - 1), line:sub(tab + 1)})
    end
  end
  wraps = 0
end

function request()
  index = index + 1
  if index > #deliveries then
    index = 1
    wraps = wraps + 1
  end
  local d = deliveries[index]
  return wrk.format("POST", "/webhooks/meta",
    {["Content-Type"] = "application/json", ["X-Hub-Signature-256"] = d[1]}, d[2])
end

function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write("status " .. status .. "\n")
  end
end
