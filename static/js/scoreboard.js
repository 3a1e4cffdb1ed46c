// Scoreboard page: a verdict sends only the rows it changed; they are swapped in, the table re-sorted
// and ranked again here, the same way the server ranks (judge/contests/scoreboard.py). A change to every
// row (contest edited, unfrozen) sends the whole table, which replaces this one.
(function () {
  "use strict";
  var board = document.getElementById("board");
  var table = document.getElementById("board-table");
  var root = document.getElementById("contest");
  if (!board || !table || !window.OJLive) return;
  var me = root ? root.dataset.me : "";
  var status = board.querySelector("[data-board-status]");

  function cellTexts() {
    var texts = {};
    table.querySelectorAll("tr[data-user-id]").forEach(function (tr) {
      tr.querySelectorAll(".board-cell").forEach(function (td, i) {
        texts[tr.dataset.userId + ":" + i] = td.textContent.trim();
      });
    });
    return texts;
  }

  function markMe() {
    var mine = me && table.querySelector('tr[data-user-id="' + me + '"]');
    if (mine) mine.classList.add("board-me");
  }

  function replace(html) {
    var before = cellTexts();
    table.innerHTML = html;
    markMe();
    table.querySelectorAll("tr[data-user-id]").forEach(function (tr) {
      tr.querySelectorAll(".board-cell").forEach(function (td, i) {
        var key = tr.dataset.userId + ":" + i;
        if (key in before && before[key] !== td.textContent.trim()) td.classList.add("cell-changed");
      });
    });
  }

  // ICPC: more solved, then less penalty; IOI: more score. Then by name and id, as the server does.
  function sortKey(tr, icpc) {
    var parts = (tr.dataset.key || "0").split(":").map(Number);
    var name = (tr.querySelector(".board-name") || {}).textContent || "";
    return { rank: icpc ? [-parts[0], parts[1]] : [-parts[0]], name: name.toLowerCase(), id: Number(tr.dataset.userId) };
  }

  function compare(a, b) {
    for (var i = 0; i < a.rank.length; i++) if (a.rank[i] !== b.rank[i]) return a.rank[i] - b.rank[i];
    if (a.name !== b.name) return a.name < b.name ? -1 : 1;
    return a.id - b.id;
  }

  function rerank(body, icpc) {
    var rows = Array.prototype.slice.call(body.querySelectorAll("tr[data-user-id]"));
    var keyed = rows.map(function (tr) { return { tr: tr, key: sortKey(tr, icpc) }; });
    keyed.sort(function (a, b) { return compare(a.key, b.key); });
    var rank = 0, previous = null;
    keyed.forEach(function (item, index) {
      var same = previous && previous.rank.join() === item.key.rank.join();
      rank = same ? rank : index + 1;
      previous = item.key;
      item.tr.querySelector(".board-rank").textContent = rank;
      body.appendChild(item.tr);
    });
  }

  function applyRows(change) {
    var body = table.querySelector("tbody");
    if (!body) return;
    var empty = body.querySelector(".board-empty");
    if (empty && change.rows.length) empty.remove();
    change.removed.forEach(function (id) {
      var tr = body.querySelector('tr[data-user-id="' + id + '"]');
      if (tr) tr.remove();
    });
    change.rows.forEach(function (row) {
      var tr = body.querySelector('tr[data-user-id="' + row.user_id + '"]');
      var before = tr ? Array.prototype.map.call(tr.querySelectorAll(".board-cell"), function (td) { return td.textContent.trim(); }) : [];
      if (!tr) {
        tr = document.createElement("tr");
        tr.dataset.userId = row.user_id;
        body.appendChild(tr);
      }
      tr.dataset.key = row.key;
      tr.innerHTML = '<td class="num board-rank"></td>' + row.html;
      tr.querySelectorAll(".board-cell").forEach(function (td, i) {
        if (i < before.length && before[i] !== td.textContent.trim()) td.classList.add("cell-changed");
      });
    });
    rerank(body, change.format === "icpc");
    markMe();
    var foot = table.querySelector("tfoot");
    if (foot) {
      foot.hidden = !body.querySelector("tr[data-user-id]");
      change.totals.forEach(function (t) {
        var td = foot.querySelector('td[data-label="' + CSS.escape(t[0]) + '"]');
        if (!td) return;
        td.textContent = t[1] + " / " + t[2];
        td.title = t[0] + ": " + t[1] + " of " + t[2] + " who tried " + (change.format === "icpc" ? "solved it" : "scored");
      });
    }
  }

  function showStatus(frozen) {
    if (status) status.textContent = frozen ? "Frozen" : status.dataset.final ? "Final" : "Live";
  }

  markMe();
  OJLive.socket(board.dataset.wsUrl, {
    onOpen: function () { board.classList.remove("live-dropped"); },
    onDrop: function () { board.classList.add("live-dropped"); },
    onMessage: function (m) {
      if (m.type === "board") {
        replace(m.board.html);
        showStatus(m.board.frozen);
      } else if (m.type === "rows") {
        applyRows(m);
        showStatus(m.frozen);
      }
    },
  });
})();
