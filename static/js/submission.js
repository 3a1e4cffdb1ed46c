// The submission page: the state on load, then each test as the judge finishes it.
// On (re)connect the server sends a snapshot, so a dropped socket catches up by itself.
(function () {
  "use strict";
  var root = document.getElementById("submission");
  if (!root || !window.OJLive) return;
  var state = null;

  function fmtSeconds(v) { return v === null || v === undefined ? "—" : v.toFixed(3) + " s"; }
  function fmtMiB(v) { return v === null || v === undefined ? "—" : (v / 1048576).toFixed(1) + " MiB"; }
  function num(v) { return Math.round(v * 100) / 100; }

  function renderSummary(s) {
    state = s;
    var verdict = document.getElementById("verdict");
    // The server names the compile step from the language table ("Checking syntax" for interpreted ones).
    var shown = s.status === "compiling" && root.dataset.compileLabel
      ? Object.assign({}, s, { status_label: root.dataset.compileLabel }) : s;
    verdict.replaceChildren(OJLive.submissionBadge(shown));
    root.dataset.status = s.status;
    document.getElementById("score").textContent =
      s.status === "done" ? num(s.score) + (s.max_score ? " / " + num(s.max_score) : "") : "—";
    document.getElementById("max-time").textContent = fmtSeconds(s.max_time);
    document.getElementById("max-memory").textContent = fmtMiB(s.max_memory);
    var progress = document.getElementById("progress");
    progress.max = s.tests_total || 1;
    // Only tests that ran fill the bar (skipped ones never do); its colour says how it went.
    progress.value = s.tests_done;
    progress.className = "progress-" + (s.status !== "done" ? "running" : s.verdict === "AC" ? "passed" : "failed");
    var skipped = s.status === "done" ? s.tests_total - s.tests_done : 0;
    document.getElementById("progress-text").textContent =
      s.tests_done + " / " + s.tests_total + (skipped > 0 ? " (" + skipped + " skipped)" : "");
    if (s.compile_output) {
      document.getElementById("compile-output").textContent = s.compile_output;
      document.getElementById("compile-section").hidden = false;
    }
    var empty = document.querySelector(".results-empty");
    if (empty && s.status === "done" && !s.tests_done) {
      empty.textContent = s.verdict === "CE" ? "No tests were run: the program did not compile." : "No tests were run.";
    }
  }

  function cell(text, className) {
    var td = document.createElement("td");
    if (className) td.className = className;
    if (text instanceof Node) td.appendChild(text); else td.textContent = text;
    return td;
  }

  // Input, expected and actual output side by side; the server says which line differs first.
  function column(caption, lines, diffLine) {
    var fig = document.createElement("figure");
    var cap = document.createElement("figcaption");
    cap.textContent = caption;
    var pre = document.createElement("pre");
    pre.className = "sample-data";
    if (typeof lines === "string") {
      pre.textContent = lines;
    } else {
      lines.forEach(function (line, i) {
        var span = document.createElement("span");
        span.className = "diff-line" + (i + 1 === diffLine ? " diff-first" : "");
        span.textContent = line;
        pre.append(span, "\n");
      });
    }
    fig.append(cap, pre);
    return fig;
  }

  function sampleFeedback(r) {
    var fb = r.sample;
    var box = document.createElement("details");
    box.className = "excerpt sample-feedback";
    box.open = r.verdict !== "AC";
    var summary = document.createElement("summary");
    summary.textContent = "Input, expected and your output" +
      (fb.diff_line ? " (first difference: line " + fb.diff_line + ")" : "");
    var grid = document.createElement("div");
    grid.className = "sample-compare";
    grid.append(
      column("Input", fb.input), column("Expected output", fb.expected, fb.diff_line),
      column("Your output", fb.output, fb.diff_line)
    );
    box.append(summary, grid);
    return box;
  }

  function details(r) {
    var wrap = document.createElement("span");
    if (r.checker_message) {
      var msg = document.createElement("span");
      msg.className = "checker-message";
      msg.textContent = r.checker_message;
      wrap.appendChild(msg);
    }
    if (r.sample) {
      wrap.appendChild(sampleFeedback(r));
    } else if (r.output_excerpt) {
      var box = document.createElement("details");
      box.className = "excerpt";
      var summary = document.createElement("summary");
      summary.textContent = "Your output";
      var pre = document.createElement("pre");
      pre.className = "sample-data";
      pre.textContent = r.output_excerpt;
      box.append(summary, pre);
      wrap.appendChild(box);
    }
    if (r.stderr_excerpt) {
      var err = document.createElement("details");
      err.className = "excerpt stderr-excerpt";
      err.open = r.verdict === "RE";
      var errSummary = document.createElement("summary");
      errSummary.textContent = "Error output (end)";
      var errPre = document.createElement("pre");
      errPre.className = "console";
      errPre.textContent = r.stderr_excerpt;
      err.append(errSummary, errPre);
      wrap.appendChild(err);
    }
    if (!wrap.childNodes.length) { wrap.className = "muted"; wrap.textContent = "—"; }
    return wrap;
  }

  function renderResult(r) {
    var body = document.getElementById("results");
    var row = body.querySelector('tr[data-order="' + r.order + '"]') || document.createElement("tr");
    row.dataset.order = r.order;
    row.replaceChildren();
    var first = document.createElement("span");
    first.textContent = r.order;
    if (r.is_sample) {
      var pill = document.createElement("span");
      pill.className = "pill pill-sample";
      pill.textContent = "sample";
      first.append(" ", pill);
    }
    row.append(
      cell(first), cell(r.group || "—", "hide-sm muted"),
      cell(OJLive.badge("done", r.verdict, r.verdict_label)),
      cell(fmtSeconds(r.time), "num"), cell(fmtMiB(r.memory), "num hide-sm"),
      cell(details(r), "details-cell")
    );
    if (!row.parentNode) {
      row.classList.add("row-new");
      body.appendChild(row);
    }
    var empty = document.querySelector(".results-empty");
    if (empty) empty.hidden = true;
  }

  OJLive.socket(root.dataset.wsUrl, {
    onMessage: function (m) {
      if (m.type === "snapshot") {
        document.getElementById("results").replaceChildren();
        m.results.forEach(renderResult);
        renderSummary(m.submission);
      } else if (m.type === "update") {
        renderSummary(m.submission);
      } else if (m.type === "test") {
        renderResult(m.result);
      } else if (m.type === "queue" && state) {
        state.queue_position = m.queue_position;
        renderSummary(state);
      }
    },
    onDrop: function () { root.classList.add("live-dropped"); },
    onOpen: function () { root.classList.remove("live-dropped"); },
  });
})();
