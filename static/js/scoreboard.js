// Scoreboard page: the table is replaced by the server-rendered one whenever a verdict changes it.
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

  markMe();
  OJLive.socket(board.dataset.wsUrl, {
    onOpen: function () { board.classList.remove("live-dropped"); },
    onDrop: function () { board.classList.add("live-dropped"); },
    onMessage: function (m) {
      if (m.type !== "board") return;
      replace(m.board.html);
      if (status) status.textContent = m.board.frozen ? "Frozen" : status.dataset.final ? "Final" : "Live";
    },
  });
})();
