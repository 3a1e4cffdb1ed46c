// Staff pages (validation, rejudges, the submissions of your courses): rows update live as verdicts arrive.
// A region with data-refresh (the validation report) is fetched again from the server when a run finishes,
// so the per-test matrix and the time limit suggestion are never computed twice.
(function () {
  "use strict";
  var root = document.querySelector("[data-staff-live]");
  if (!window.OJLive || !root || !root.dataset.wsUrls) return;

  function fmtSeconds(v) { return v === null || v === undefined ? "—" : v.toFixed(3) + " s"; }
  function fmtMiB(v) { return v === null || v === undefined ? "—" : (v / 1048576).toFixed(1) + " MiB"; }
  function fmtScore(v) { return String(Math.round(v * 100) / 100); }

  function rowsOf(id) { return root.querySelectorAll('tr[data-submission-id="' + id + '"]'); }

  function setText(tr, selector, text) {
    var cell = tr.querySelector(selector);
    if (cell) cell.textContent = text;
  }

  function markChange(tr, s) {
    var cell = tr.querySelector(".change-cell");
    if (!cell || tr.dataset.previousVerdict === undefined) return;
    var done = s.status === "done";
    var changed = done && (s.verdict !== tr.dataset.previousVerdict ||
      Math.abs(s.score - parseFloat(tr.dataset.previousScore)) > 1e-9);
    tr.classList.toggle("row-changed", changed);
    var label = document.createElement(changed ? "strong" : "span");
    label.className = changed ? "changed-label" : "muted";
    label.textContent = !done ? "…" : changed ? "Changed" : "Same";
    cell.replaceChildren(label);
  }

  function updateRow(tr, s) {
    var wasDone = tr.dataset.status === "done";
    tr.dataset.status = s.status;
    var verdict = tr.querySelector(".verdict-cell");
    if (verdict) verdict.replaceChildren(OJLive.submissionBadge(s));
    setText(tr, ".time-cell", fmtSeconds(s.max_time));
    setText(tr, ".memory-cell", fmtMiB(s.max_memory));
    setText(tr, ".score-cell", s.status === "done" ? fmtScore(s.score) : "—");
    markChange(tr, s);
    return s.status === "done" && !wasDone;
  }

  var refreshing = null;
  function refresh() {
    // Several runs often finish together: one fetch for the lot.
    if (!root.dataset.refresh || refreshing) return;
    refreshing = setTimeout(function () {
      fetch(location.href, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").querySelector(root.dataset.refresh);
          if (fresh) root.replaceChildren.apply(root, Array.from(fresh.childNodes));
        })
        .catch(function () {})
        .then(function () { refreshing = null; });
    }, 400);
  }

  function onMessage(m) {
    if (m.type === "update") {
      var finished = false;
      rowsOf(m.submission.id).forEach(function (tr) { finished = updateRow(tr, m.submission) || finished; });
      if (finished) refresh();
    } else if (m.type === "queue") {
      rowsOf(m.submission_id).forEach(function (tr) {
        var badge = tr.querySelector(".verdict-cell .badge-queued");
        if (badge) badge.textContent = "Queued · #" + m.queue_position + " in line";
      });
    }
  }

  function onOpen() {
    // Runs that finished before the socket joined (or while it was down) sent nothing here: catch up.
    if (root.querySelector('tr[data-status]:not([data-status="done"])')) refresh();
  }

  root.dataset.wsUrls.split(" ").forEach(function (path) {
    OJLive.socket(path, { onMessage: onMessage, onOpen: onOpen });
  });
})();
