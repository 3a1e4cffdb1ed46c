// Lists of the user's submissions (My submissions, problem pages): rows update as verdicts arrive.
(function () {
  "use strict";
  if (!window.OJLive || !document.querySelector("[data-submission-id]")) return;

  function row(id) { return document.querySelector('tr[data-submission-id="' + id + '"]'); }

  function fmtSeconds(v) { return v === null || v === undefined ? "—" : v.toFixed(3) + " s"; }

  OJLive.socket("/ws/my-submissions/", {
    onMessage: function (m) {
      if (m.type === "update") {
        var tr = row(m.submission.id);
        if (!tr) return;
        var cell = tr.querySelector(".verdict-cell");
        if (cell) cell.replaceChildren(OJLive.submissionBadge(m.submission));
        var time = tr.querySelector(".time-cell");
        if (time) time.textContent = fmtSeconds(m.submission.max_time);
        var score = tr.querySelector(".score-cell");
        if (score && m.submission.status === "done") score.textContent = Math.round(m.submission.score * 100) / 100;
      } else if (m.type === "queue") {
        var queued = row(m.submission_id);
        var badge = queued && queued.querySelector(".verdict-cell .badge-queued");
        if (badge) badge.textContent = "Queued · #" + m.queue_position + " in line";
      }
    },
  });
})();
