// Sluice dashboard: asks for an API key (kept in this tab's sessionStorage only), reads
// GET /v1/dashboard with it every few seconds (one request per refresh, the next one only after the
// last answered) and draws the figures. Text goes into the page with textContent only.
"use strict";

(function () {
  const REFRESH_MS = 5000;
  const KEY = "sluice.apiKey";
  const SVG = "http://www.w3.org/2000/svg";
  let timer = null;

  const $ = (id) => document.getElementById(id);

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function row(cells) {
    const tr = document.createElement("tr");
    cells.forEach((cell) => tr.appendChild(cell instanceof Node ? cell : el("td", cell)));
    return tr;
  }

  function td(content, className) {
    const cell = el("td", content instanceof Node ? null : content, className);
    if (content instanceof Node) cell.appendChild(content);
    return cell;
  }

  function fill(section, rows, columns, emptyText) {
    const body = document.querySelector("#" + section + " tbody");
    body.replaceChildren();
    if (rows.length === 0) {
      const tr = row([el("td", emptyText)]);
      tr.className = "empty";
      tr.firstChild.colSpan = columns;
      body.appendChild(tr);
      return;
    }
    rows.forEach((r) => body.appendChild(r));
  }

  function note(section, text) {
    const p = document.querySelector("#" + section + " .note");
    p.textContent = text || "";
    p.hidden = !text;
    const table = document.querySelector("#" + section + " table");
    if (table) table.hidden = !!text;
  }

  function message(text, isError) {
    const p = $("message");
    p.textContent = text || "";
    p.hidden = !text;
    p.className = isError ? "message error" : "message";
  }

  const number = (n) => Number(n || 0).toLocaleString("en-US");
  const time = (iso) => (iso ? new Date(iso).toLocaleTimeString("en-GB") : "");

  function age(seconds) {
    if (!seconds) return "–";
    if (seconds < 90) return seconds.toFixed(1) + " s";
    if (seconds < 5400) return (seconds / 60).toFixed(1) + " min";
    return (seconds / 3600).toFixed(1) + " h";
  }

  // a use bar turns amber at 80 % and red at 100 %; a progress bar is green
  function bar(percent, label, progress) {
    const level = progress ? " progress" : percent >= 100 ? " full" : percent >= 80 ? " hot" : "";
    const outer = el("div", null, "bar" + level);
    const inner = el("span");
    inner.style.width = Math.min(100, Math.max(0, percent)) + "%";
    outer.appendChild(inner);
    outer.appendChild(el("em", label));
    return outer;
  }

  function drawJobs(jobs) {
    ["queued", "running"].forEach((s) => ($("count-" + s).textContent = number(jobs.active[s])));
    ["submitted", "succeeded", "failed", "cancelled", "expired"].forEach(
      (s) => ($("count-" + s).textContent = number(jobs.last_hour[s])));
    drawChart(jobs.per_minute);
  }

  function drawChart(minutes) {
    const svg = $("per-minute");
    svg.replaceChildren();
    const n = Math.max(1, minutes.length);
    const total = (m) => Object.values(m.finished || {}).reduce((a, b) => a + b, 0);
    const top = Math.max(1, ...minutes.map((m) => Math.max(m.submitted, total(m))));
    const w = 600 / n;
    const y = (v) => 118 - (v / top) * 112;
    let line = "";
    minutes.forEach((m, i) => {
      const ok = (m.finished || {}).succeeded || 0;
      const bad = total(m) - ok;
      const x = i * w + 1;
      [["succeeded", 0, ok], ["failed", ok, bad]].forEach(([cls, base, v]) => {
        if (v <= 0) return;
        const r = document.createElementNS(SVG, "rect");
        r.setAttribute("class", cls);
        r.setAttribute("x", x);
        r.setAttribute("width", Math.max(1, w - 2));
        r.setAttribute("y", y(base + v));
        r.setAttribute("height", y(base) - y(base + v));
        const title = document.createElementNS(SVG, "title");
        title.textContent = time(m.at) + ": " + v + " " + cls;
        r.appendChild(title);
        svg.appendChild(r);
      });
      line += (i === 0 ? "M" : "L") + (x + w / 2) + " " + y(m.submitted) + " ";
    });
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("class", "submitted");
    path.setAttribute("d", line.trim());
    svg.appendChild(path);
  }

  function drawLanes(panel) {
    note("lanes", panel.available ? "" : "Unavailable: " + panel.reason);
    fill("lanes", panel.data.map((l) => row([
      td(l.provider), td(l.lane), td(number(l.waiting), "num"), td(age(l.oldest_age_seconds), "num"),
    ])), 4, "no lanes");
  }

  function drawLimits(panel) {
    note("limits", panel.available ? "" : "Unavailable: " + panel.reason);
    fill("limits", panel.data.map((l) => row([
      td(l.provider + " / " + l.model),
      td(l.meter.replace("_", " ") + " per " + l.period_seconds + " s" + (l.paused_until ? " (paused until " + time(l.paused_until) + ")" : "")),
      td(bar(l.used_percent, l.used_percent.toFixed(1) + " %"), "num"),
      td(number(l.in_flight), "num"),
    ])), 4, "no rate-limited model has been used yet");
  }

  function drawFailures(failures) {
    fill("failures", failures.map((f) => row([
      td(time(f.finished_at), "nowrap"), td(el("code", f.job_id)), td(f.tenant), td(f.model, "nowrap"),
      td(f.status, "nowrap status-" + f.status), td(el("code", f.error_code || "")), td(f.error_message || ""),
    ])), 7, "no failures");
  }

  function drawBatches(batches) {
    fill("batches", batches.map((b) => {
      const lines = b.lines || {};
      const done = ["succeeded", "failed", "cancelled", "expired"].reduce((a, s) => a + (lines[s] || 0), 0);
      const percent = b.total > 0 ? (100 * done) / b.total : 0;
      const label = number(done) + " / " + number(b.total) + (lines.failed ? ", " + number(lines.failed) + " failed" : "");
      return row([td(el("code", b.id)), td(b.tenant), td(b.status), td(bar(percent, label, true))]);
    }), 4, "no batches");
  }

  function drawWebhooks(endpoints) {
    fill("webhooks", endpoints.map((e) => {
      const d = e.last_hour || {};
      const state = !e.enabled ? "disabled" + (e.disabled_reason ? ": " + e.disabled_reason : "")
        : e.failing_since ? "failing since " + time(e.failing_since) : "healthy";
      const cls = !e.enabled || e.failing_since ? "state-bad" : "state-ok";
      return row([td(e.destination), td(e.tenant), td(state, cls),
        td(number(d.succeeded) + " / " + number((d.failed || 0) + (d.dead || 0)) + (d.pending ? " (" + number(d.pending) + " pending)" : ""), "num")]);
    }), 4, "no webhook endpoints");
  }

  function draw(s) {
    $("scope").textContent = s.scope === "all_tenants" ? "all tenants (operator key)" : "tenant " + s.tenant_id;
    $("updated").textContent = "updated " + time(s.generated_at);
    drawJobs(s.jobs);
    drawLanes(s.lanes);
    drawLimits(s.rate_limits);
    drawFailures(s.recent_failures);
    drawBatches(s.batches);
    drawWebhooks(s.webhooks);
    note("deferred", s.deferred_lane.available ? "" : s.deferred_lane.reason);
    $("panels").hidden = false;
  }

  async function refresh() {
    clearTimeout(timer);
    const key = sessionStorage.getItem(KEY);
    if (!key) {
      $("panels").hidden = true;
      message("Enter an API key to see its figures (an operator key sees every tenant).", false);
      return;
    }
    try {
      const answer = await fetch("/v1/dashboard", { headers: { Authorization: "Bearer " + key }, cache: "no-store" });
      if (answer.status === 401) {
        sessionStorage.removeItem(KEY);
        $("panels").hidden = true;
        const body = await answer.json().catch(() => ({}));
        message("This key was refused (401): " + ((body.error && body.error.message) || "not a valid key") + ". Enter another.", true);
        return;
      }
      if (!answer.ok) {
        message("The dashboard could not be read (HTTP " + answer.status + "); retrying.", true);
      } else {
        draw(await answer.json());
        message("", false);
      }
    } catch (e) {
      message("job-api did not answer (" + e.message + "); retrying.", true);
    }
    timer = setTimeout(refresh, REFRESH_MS);
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("key-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const key = $("api-key").value.trim();
      $("api-key").value = "";
      if (key) sessionStorage.setItem(KEY, key);
      refresh();
    });
    $("forget").addEventListener("click", () => {
      sessionStorage.removeItem(KEY);
      refresh();
    });
    refresh();
  });
})();
