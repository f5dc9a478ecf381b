-- POST a valid JSON submission to Caseflow's e-service API. Every request carries a distinct
-- description (this run's token, thread number and counter), so none is answered from the
-- dedupe window, not even one a warm-up run sent before: each one validates, registers, opens a
-- case with its diarienummer and enqueues a receipt mail.
local thread_number = 0
local counter = 0
local run = ""

function setup(thread)
  thread_number = thread_number + 1
  thread:set("id", thread_number)
end

function init(args)
  counter = 0
  math.randomseed(os.time() + id)
  run = os.time() .. "." .. math.random(1, 1000000000)
end

request = function()
  counter = counter + 1
  local body = '{"namn": "Greta Gatlykta", "epost": "medborgare@example.se",'
    .. ' "beskrivning": "Gatlyktan vid Svartbäcksgatan 12 är släckt (' .. run .. '-' .. id .. '-' .. counter .. ').",'
    .. ' "kategori": "gata", "plats": {"address": "Svartbäcksgatan 12", "lat": 59.8614,'
    .. ' "long": 17.6389}, "samtycke": true}'
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end

response = function(status, headers, body)
  if status ~= 201 then
    io.stderr:write("unexpected status " .. status .. ": " .. body:sub(1, 200) .. "\n")
  end
end
