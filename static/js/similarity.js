// Similarity check page: poll the check's status while it runs, then reload to show the pairs.
(function () {
  "use strict";
  var box = document.getElementById("similarity-progress");
  if (!box) return;
  var POLL_MS = 1500;

  function poll() {
    fetch(box.dataset.statusUrl, {headers: {Accept: "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.finished) { location.reload(); return; }
        box.querySelector("[data-progress-bar]").value = state.progress;
        box.querySelector("[data-progress-pairs]").textContent = state.pairs_done + " of " + state.pairs_total;
        box.querySelector("[data-progress-label]").textContent = state.status === "running" ? "Running" : "Queued";
        setTimeout(poll, POLL_MS);
      })
      .catch(function () { setTimeout(poll, POLL_MS * 4); });
  }
  setTimeout(poll, POLL_MS);
})();
