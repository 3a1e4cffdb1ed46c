// Shared by the live pages: a websocket that reconnects with backoff and says when it is (re)connected.
(function () {
  "use strict";

  function liveSocket(path, handlers) {
    var delay = 500;
    var socket = null;
    var closedForGood = false;

    function open() {
      var scheme = location.protocol === "https:" ? "wss://" : "ws://";
      socket = new WebSocket(scheme + location.host + path);
      socket.onopen = function () {
        delay = 500;
        if (handlers.onOpen) handlers.onOpen();
      };
      socket.onmessage = function (event) {
        var message;
        try { message = JSON.parse(event.data); } catch (e) { return; }
        if (handlers.onMessage) handlers.onMessage(message);
      };
      socket.onclose = function (event) {
        if (event.code === 4403 || closedForGood) return; // no access: retrying cannot help
        if (handlers.onDrop) handlers.onDrop();
        setTimeout(open, delay);
        delay = Math.min(delay * 2, 10000);
      };
    }

    open();
    return {
      close: function () { closedForGood = true; if (socket) socket.close(); },
    };
  }

  function badge(status, verdict, label) {
    var span = document.createElement("span");
    span.className = "badge badge-" + (verdict || status);
    if (verdict) span.title = label;
    span.textContent = label;
    return span;
  }

  function submissionBadge(s) {
    if (s.status === "done") return badge(s.status, s.verdict, s.verdict_label);
    var label = s.status_label;
    if (s.status === "queued" && s.queue_position) label += " · #" + s.queue_position + " in line";
    if (s.status === "running" && s.tests_total) label += " " + s.tests_done + "/" + s.tests_total;
    return badge(s.status, "", label);
  }

  window.OJLive = { socket: liveSocket, badge: badge, submissionBadge: submissionBadge };
})();
