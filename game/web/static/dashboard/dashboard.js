/* Staff dashboard: polls the game's REST API and keeps the page live.
   Everything shown comes from the API and is set as text, never as HTML. */
(function () {
  "use strict";

  var POLL_MS = 2000;
  var COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
  var CHARTS = [
    {id: "population-region", title: "Population by region", values: function (p) { return p.population; }},
    {id: "population-role", title: "Population by role", values: function (p) { return p.roles; }},
    {id: "price-index", title: "Price index by region", values: function (p) { return p.price_index; }},
    {id: "money-supply", title: "Money supply", values: function (p) { return {"money supply": p.money_supply}; }},
    {id: "wealth-gini", title: "Wealth Gini", values: function (p) { return {"gini": p.wealth_gini}; }},
    {id: "events-per-minute", title: "Events per minute", values: function (p) { return {"events/min": p.events_per_minute}; }},
    {id: "ms-per-tick", title: "ms per tick", values: function (p) { return {"ms/tick": p.ms_per_tick}; }},
    {id: "players-online", title: "Players online", values: function (p) { return {"players": p.players_online}; }}
  ];

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function api(path, body) {
    var options = {credentials: "same-origin", headers: {"Accept": "application/json"}};
    if (body !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = csrfToken();
      options.body = JSON.stringify(body);
    }
    return fetch(path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { throw new Error(path + ": " + (data.detail || JSON.stringify(data) || response.status)); }
        return data;
      });
    });
  }

  var problem = document.getElementById("problem");
  function report(error) {
    problem.textContent = error.message;
    problem.classList.remove("d-none");
  }
  function clearProblem() { problem.classList.add("d-none"); }

  /* ---- charts ---------------------------------------------------------------------------- */
  var lastSeq = 0;
  var charts = CHARTS.map(function (spec) {
    var box = el("div", {"class": "chart", "id": "chart-" + spec.id, "data-points": "0"});
    box.appendChild(el("h6", {}, spec.title));
    document.getElementById("charts").appendChild(box);
    return {spec: spec, box: box, keys: null, data: null, plot: null};
  });

  function addPoints(chart, points) {
    if (!chart.keys) {
      chart.keys = Object.keys(chart.spec.values(points[0]) || {}).sort();
      chart.data = [[]].concat(chart.keys.map(function () { return []; }));
      var series = [{}].concat(chart.keys.map(function (key, i) {
        return {label: key, stroke: COLOURS[i % COLOURS.length], width: 1.5};
      }));
      chart.plot = new uPlot({width: 360, height: 200, series: series, legend: {show: true}}, chart.data, chart.box);
    }
    points.forEach(function (p) {
      var values = chart.spec.values(p) || {};
      chart.data[0].push(p.at);
      chart.keys.forEach(function (key, i) { chart.data[i + 1].push(values[key] === undefined ? null : values[key]); });
    });
    chart.plot.setData(chart.data);
    chart.box.setAttribute("data-points", String(chart.data[0].length));
  }

  function pollHistory() {
    return api("/api/world/history?after=" + lastSeq).then(function (reply) {
      if (!reply.points.length) { return; }
      lastSeq = reply.points[reply.points.length - 1].seq;
      charts.forEach(function (chart) { addPoints(chart, reply.points); });
    });
  }

  function pollWorld() {
    return api("/api/world/state").then(function (w) {
      document.getElementById("world-tick").textContent = w.tick === null ? "–" : w.tick + (w.paused ? " (paused)" : "");
      document.getElementById("world-calendar").textContent = w.calendar ? w.calendar.season + ", " + w.calendar.epoch : "";
      document.getElementById("world-kpis").textContent = w.kpis ?
        w.kpis.agents_alive.toLocaleString() + " agents alive, " + w.kpis.players_online + " players online, " +
        w.kpis.ms_per_tick + " ms/tick" : "simulation not running";
    });
  }

  /* ---- director ---------------------------------------------------------------------------- */
  var switchButton = document.getElementById("director-switch");
  var director = null;

  function showDirector(state) {
    director = state;
    document.getElementById("director-mode").textContent = state.mode.toUpperCase();
    document.getElementById("director-changed").textContent = state.changed_by ?
      "(by " + state.changed_by + (state.reason ? ": " + state.reason : "") + ")" : "";
    document.getElementById("director-sliders").textContent = Object.keys(state.sliders).map(function (k) {
      return k + " " + Number(state.sliders[k]).toFixed(2);
    }).join(", ");
    var running = state.mode === "running";
    switchButton.textContent = running ? "STOP" : "GO";
    switchButton.className = "btn btn-lg mr-3 " + (running ? "btn-danger" : "btn-success");
    switchButton.setAttribute("data-action", running ? "stop" : "resume");
    switchButton.disabled = false;
  }

  function pollDirector() { return api("/api/director").then(showDirector); }

  switchButton.addEventListener("click", function () {
    var action = switchButton.getAttribute("data-action");
    switchButton.disabled = true;
    api("/api/director/" + action, {reason: "from the dashboard"}).then(showDirector, report);
  });
  document.getElementById("director-pause").addEventListener("click", function () {
    api("/api/director/pause", {reason: "from the dashboard"}).then(showDirector, report);
  });

  var logAfter = "";
  var logList = document.getElementById("director-log");
  function describe(r) {
    var parts = [r.at || "", r.type || ""];
    if (r.rule) { parts.push(r.rule + ":"); }
    if (r.why) { parts.push(r.why); }
    if (r.skipped) { parts.push("→ skipped: " + r.skipped); }
    if (r.job && r.job.job_id) { parts.push("→ job " + r.job.job_id); }
    if (r.proposal_id) { parts.push("→ " + r.proposal_id); }
    if (r.status) { parts.push("→ " + r.status); }
    if (r.verdict && r.verdict.reasons && r.verdict.reasons.length) { parts.push("(" + r.verdict.reasons.join("; ") + ")"); }
    return parts.join(" ");
  }
  function pollLog() {
    return api("/api/director/log?after=" + encodeURIComponent(logAfter) + "&limit=200").then(function (reply) {
      reply.records.forEach(function (r) {
        logList.insertBefore(el("li", {"data-type": r.type || ""}, describe(r)), logList.firstChild);
      });
      while (logList.children.length > 300) { logList.removeChild(logList.lastChild); }
      logAfter = reply.next_after;
    });
  }

  /* ---- approval queue ---------------------------------------------------------------------- */
  var queue = document.getElementById("queue");
  var shownIds = "";

  function diffTable(rows) {
    var table = el("table", {"class": "diff"});
    var head = el("tr");
    head.appendChild(el("th", {}, "Draft (payload)"));
    head.appendChild(el("th", {}, "Validated result"));
    table.appendChild(head);
    rows.forEach(function (row) {
      var tr = el("tr", {"class": {" ": "", "~": "changed", "-": "removed", "+": "added"}[row[0]]});
      tr.appendChild(el("td", {}, row[1]));
      tr.appendChild(el("td", {}, row[2]));
      table.appendChild(tr);
    });
    return table;
  }

  function showDetail(box, id) {
    api("/api/proposals/" + encodeURIComponent(id)).then(function (d) {
      var detail = box.querySelector(".detail");
      detail.textContent = "";
      detail.appendChild(el("div", {"class": "text-muted"}, "enriched by " + d.provider + (d.fallback_reason ? " (fallback: " + d.fallback_reason + ")" : "")));
      detail.appendChild(diffTable(d.diff));
      detail.appendChild(el("div", {}, "Budgets: " + d.budgets.map(function (b) { return b.budget + " " + b.used + "/" + b.allowed; }).join(", ")));
      detail.appendChild(el("div", {"class": "text-muted"}, "Why: " + d.why.map(describe).join(" | ")));
    }, report);
  }

  function proposalBox(p) {
    var box = el("div", {"class": "proposal", "data-id": p.id});
    var title = el("div");
    title.appendChild(el("strong", {}, p.title || p.id));
    title.appendChild(el("span", {"class": "text-muted"}, " " + p.kind + " in " + p.region + " · " + p.id));
    box.appendChild(title);
    var actions = el("div", {"class": "form-inline mt-1"});
    var show = el("button", {"class": "btn btn-sm btn-outline-secondary mr-2 show-diff", "type": "button"}, "Diff");
    var approve = el("button", {"class": "btn btn-sm btn-success mr-2 approve", "type": "button"}, "Approve");
    var reason = el("input", {"class": "form-control form-control-sm mr-2 reason", "placeholder": "reason to reject", "maxlength": "500"});
    var reject = el("button", {"class": "btn btn-sm btn-danger reject", "type": "button"}, "Reject");
    [show, approve, reason, reject].forEach(function (n) { actions.appendChild(n); });
    box.appendChild(actions);
    box.appendChild(el("div", {"class": "detail mt-1"}));
    show.addEventListener("click", function () { showDetail(box, p.id); });
    approve.addEventListener("click", function () {
      approve.disabled = true;
      api("/api/proposals/" + encodeURIComponent(p.id) + "/approve", {}).then(pollQueue, report);
    });
    reject.addEventListener("click", function () {
      if (!reason.value.trim()) { report(new Error("Say why you reject " + p.id)); return; }
      api("/api/proposals/" + encodeURIComponent(p.id) + "/reject", {reason: reason.value}).then(pollQueue, report);
    });
    return box;
  }

  function pollQueue() {
    return api("/api/proposals?state=pending").then(function (reply) {
      document.getElementById("queue-count").textContent = String(reply.proposals.length);
      var ids = reply.proposals.map(function (p) { return p.id; }).join(",");
      if (ids === shownIds) { return; }
      shownIds = ids;
      queue.textContent = "";
      if (!reply.proposals.length) { queue.appendChild(el("p", {"class": "text-muted"}, "Nothing waits for approval.")); }
      reply.proposals.forEach(function (p) { queue.appendChild(proposalBox(p)); });
    });
  }

  /* ---- world snapshots: a restore asks first ------------------------------------------------ */
  var snapshotStatus = document.getElementById("snapshots-status");
  var shownSnapshots = "";

  function sizeText(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.round(bytes / 1024) + " KB";
  }

  function restoreCell(s) {
    var cell = el("td", {"class": "restore-cell"});
    var ask = el("button", {"class": "btn btn-sm btn-outline-danger restore", "type": "button"}, "Restore");
    var confirmBox = el("span", {"class": "confirm-restore d-none"});
    confirmBox.appendChild(el("span", {"class": "mr-2"}, "Restore " + s.id + "? Everything since is lost."));
    var yes = el("button", {"class": "btn btn-sm btn-danger mr-1 confirm", "type": "button"}, "Confirm restore");
    var no = el("button", {"class": "btn btn-sm btn-outline-secondary cancel", "type": "button"}, "Cancel");
    confirmBox.appendChild(yes);
    confirmBox.appendChild(no);
    ask.addEventListener("click", function () { ask.classList.add("d-none"); confirmBox.classList.remove("d-none"); });
    no.addEventListener("click", function () { confirmBox.classList.add("d-none"); ask.classList.remove("d-none"); });
    yes.addEventListener("click", function () {
      yes.disabled = true;
      api("/api/snapshots/" + encodeURIComponent(s.id) + "/restore", {confirm: s.id}).then(function () {
        snapshotStatus.textContent = "Restoring " + s.id + ": the server reloads; this page follows.";
      }, function (error) { yes.disabled = false; report(error); });
    });
    cell.appendChild(ask);
    cell.appendChild(confirmBox);
    return cell;
  }

  function snapshotRow(s) {
    var tr = el("tr", {"class": "snapshot", "data-id": s.id});
    [s.id, s.auto ? "auto" : "manual", s.taken, s.sim ? s.sim.tick : "-", (s.library_commit || "-").slice(0, 10),
     sizeText(s.bytes), s.label].forEach(function (v) { tr.appendChild(el("td", {}, v)); });
    tr.appendChild(restoreCell(s));
    return tr;
  }

  function pollSnapshots() {
    return api("/api/snapshots").then(function (reply) {
      if (reply.restoring) {
        snapshotStatus.textContent = "Restoring " + reply.restoring + ": the server reloads; this page follows.";
      } else if (reply.restored) {
        snapshotStatus.textContent = "The world was restored to snapshot " + reply.restored + " when the server started.";
      }
      var ids = reply.snapshots.map(function (s) { return s.id; }).join(",");
      if (ids === shownSnapshots) { return; }  // keep an open confirmation as it is
      shownSnapshots = ids;
      var body = document.getElementById("snapshots");
      body.textContent = "";
      if (!reply.snapshots.length) {
        var empty = el("tr");
        empty.appendChild(el("td", {"colspan": "8", "class": "text-muted"}, "No world snapshot yet (snapshot create in the game)."));
        body.appendChild(empty);
      }
      reply.snapshots.slice().reverse().forEach(function (s) { body.appendChild(snapshotRow(s)); });
    });
  }

  /* ---- loop -------------------------------------------------------------------------------- */
  function tick() {
    Promise.all([pollHistory(), pollWorld(), pollDirector(), pollLog(), pollQueue()])
      .then(clearProblem, report)
      .then(function () { window.setTimeout(tick, POLL_MS); });
  }
  tick();
  pollSnapshots().catch(report);
  window.setInterval(function () { pollSnapshots().catch(report); }, 5000);
})();
