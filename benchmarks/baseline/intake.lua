-- POST a valid JSON submission to the baseline's minimal intake.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"eservice": "felanmalan-gata", "title": "Trasig gatlykta",'
  .. ' "description": "Gatlyktan vid Svartbäcksgatan 12 är släckt sedan i måndags.",'
  .. ' "email": "medborgare@example.se"}'
