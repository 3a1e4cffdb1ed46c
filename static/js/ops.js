// The operators' dashboard: the server renders the first snapshot (and embeds it as JSON); after that the
// socket pushes a fresh one every few seconds and this script redraws bars, tables and charts from it.
// Levels (amber, red) come computed from the server: this file only draws.
(function () {
  "use strict";
  var root = document.getElementById("ops");
  var first = document.getElementById("ops-snapshot");
  if (!root || !first) return;

  var COLORS = ["#2f5bd3", "#1a7f37", "#bf8700", "#cf222e", "#8250df", "#0a7ea4", "#bc4c00", "#57606a", "#e85aad"];
  var VERDICT_COLORS = { AC: "#1a7f37", WA: "#cf222e", TLE: "#bf8700", MLE: "#bc4c00", OLE: "#8250df",
    RE: "#e85aad", CE: "#57606a", IE: "#6e7781" };
  var windowName = "24h";
  var latest = JSON.parse(first.textContent);
  var plots = {};

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "className") node.className = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function drawBar(cell, b) {
    var bar = cell.querySelector(".bar");
    bar.className = "bar bar-" + b.level;
    bar.dataset.percent = b.percent;
    bar.setAttribute("aria-label", b.percent + " % of the limit");
    bar.firstElementChild.style.width = Math.min(100, b.percent) + "%";
    cell.classList.remove("level-ok", "level-warn", "level-high");
    cell.classList.add("level-" + b.level);
    cell.querySelector(".bar-text").textContent = b.used + " / " + b.limit;
  }

  function drawTenants(tenants) {
    tenants.forEach(function (t) {
      var tr = root.querySelector('tr[data-tenant-id="' + t.id + '"]');
      if (!tr) return; // a school added since the page loaded shows after a reload
      ["running", "queued", "cpu"].forEach(function (key) {
        drawBar(tr.querySelector('[data-bar="' + key + '"]'), t[key]);
      });
      tr.querySelector(".rejections-cell").textContent = t.rejections;
    });
  }

  function drawWorkers(workers) {
    var body = document.getElementById("ops-workers");
    if (!body || !workers) return;
    if (!workers.length) {
      body.replaceChildren(el("tr", { className: "worker-high" }, [
        el("td", { colspan: "6", text: "No worker has sent a heartbeat in the last hour: nothing is being judged." }),
      ]));
      return;
    }
    body.replaceChildren.apply(body, workers.map(function (w) {
      var name = el("th", { scope: "row" }, [el("span", { className: "dot dot-" + w.level, "aria-hidden": "true" }), " " + w.name]);
      if (w.state !== "ok") name.append(" ", el("strong", { className: "state-label", text: w.state }));
      var jobs = el("td");
      if (!w.judging.length) jobs.append(el("span", { className: "muted", text: "idle" }));
      w.judging.forEach(function (job, i) {
        if (i) jobs.append(", ");
        jobs.append(el("a", { href: job.link, text: "#" + job.id }), " ", el("code", { text: job.problem }), " (" + job.tenant + ")");
      });
      var langs = el("td", { text: w.languages.length + " ready" });
      if (w.missing.length) langs.append("; ", el("span", { className: "missing", text: "no image: " + w.missing.join(", ") }));
      return el("tr", { className: "worker-" + w.level, "data-worker": w.name }, [
        name, el("td", { text: w.host }), el("td", { className: "num", text: w.seen_seconds_ago + " s ago" }),
        jobs, el("td", { text: w.engine }), langs,
      ]);
    }));
  }

  function drawAnomalies(anomalies) {
    var body = document.getElementById("ops-anomalies");
    if (!anomalies.length) {
      body.replaceChildren(el("tr", { className: "empty-row" }, [el("td", { colspan: "6", className: "muted", text: "Nothing unusual." })]));
      return;
    }
    body.replaceChildren.apply(body, anomalies.map(function (a) {
      return el("tr", {}, [
        el("th", { scope: "row", text: a.who }), el("td", { text: a.tenant || "—" }), el("td", { text: a.what }),
        el("td", { className: "num", text: String(a.submissions) }),
        el("td", { className: "num", text: a.runs === null ? "—" : String(a.runs) }),
        el("td", {}, [el("a", { href: a.link, text: "See submissions" })]),
      ]);
    }));
  }

  function drawVerdicts(mix) {
    var list = document.getElementById("ops-verdicts");
    var total = Object.keys(mix).reduce(function (sum, v) { return sum + mix[v]; }, 0);
    if (!total) {
      list.replaceChildren(el("li", { className: "empty-chart", text: "Nothing judged in this period." }));
      return;
    }
    list.replaceChildren.apply(list, Object.keys(mix).map(function (v) {
      var fill = el("span");
      fill.style.width = (100 * mix[v] / total) + "%";
      fill.style.background = VERDICT_COLORS[v] || COLORS[0];
      return el("li", { "data-verdict": v }, [
        el("strong", { text: v }), el("div", { className: "bar" }, [fill]),
        el("span", { className: "num", text: mix[v] + " · " + Math.round(100 * mix[v] / total) + "%" }),
      ]);
    }));
  }

  function drawChart(figure, x, lines) {
    var name = figure.dataset.chart;
    var key = lines.map(function (l) { return l.label; }).join("|") + "@" + x.length;
    var data = [x].concat(lines.map(function (l) { return l.values; }));
    var hasData = lines.some(function (l) { return l.values.some(function (v) { return v !== null && v !== 0; }); });
    var empty = figure.querySelector(".empty-chart");
    if (!hasData || !window.uPlot) {
      if (plots[name]) { plots[name].plot.destroy(); delete plots[name]; }
      if (!empty) figure.append(el("p", { className: "empty-chart", text: "Nothing in this period yet." }));
      return;
    }
    if (empty) empty.remove();
    if (plots[name] && plots[name].key === key) { plots[name].plot.setData(data); return; }
    if (plots[name]) plots[name].plot.destroy();
    var unit = figure.dataset.unit || "";
    var opts = {
      width: Math.max(280, figure.clientWidth - 24),
      height: 190,
      scales: { x: { time: true }, y: { range: function (u, min, max) { return [0, Math.max(1, max * 1.1)]; } } },
      legend: { show: true },
      series: [{}].concat(lines.map(function (l, i) {
        return { label: l.label, stroke: VERDICT_COLORS[l.label] || COLORS[i % COLORS.length], width: 2, spanGaps: false,
          value: function (u, v) { return v === null ? "—" : (Math.round(v * 100) / 100) + unit; } };
      })),
    };
    plots[name] = { key: key, plot: new window.uPlot(opts, data, figure) };
  }

  function drawCharts() {
    var charts = latest.charts[windowName];
    var total = charts.submissions.reduce(function (sum, line) {
      return sum + line.values.reduce(function (a, v) { return a + (v || 0); }, 0);
    }, 0);
    document.getElementById("ops-total").textContent = String(total);
    drawVerdicts(charts.verdicts);
    root.querySelectorAll("[data-chart]").forEach(function (figure) {
      if (figure.dataset.chart !== "verdicts") drawChart(figure, charts.x, charts[figure.dataset.chart]);
    });
  }

  function draw(snapshot) {
    latest = snapshot;
    drawTenants(snapshot.tenants);
    drawWorkers(snapshot.workers);
    drawAnomalies(snapshot.anomalies);
    drawCharts();
    var updated = document.getElementById("ops-updated");
    updated.setAttribute("datetime", snapshot.at);
    updated.textContent = snapshot.at.slice(11, 19);
  }

  root.querySelectorAll("[data-window]").forEach(function (button) {
    button.addEventListener("click", function () {
      windowName = button.dataset.window;
      root.querySelectorAll("[data-window]").forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
      drawCharts();
    });
  });

  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      Object.keys(plots).forEach(function (name) { plots[name].plot.destroy(); delete plots[name]; });
      drawCharts();
    }, 200);
  });

  draw(latest);
  var state = document.getElementById("ops-live");
  if (window.OJLive) {
    OJLive.socket(root.dataset.socket, {
      onOpen: function () { state.dataset.state = "live"; },
      onDrop: function () { state.dataset.state = "dropped"; },
      onMessage: function (m) { if (m.type === "snapshot") draw(m); },
    });
  }
})();
