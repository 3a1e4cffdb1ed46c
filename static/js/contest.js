// Contest pages: the countdown, live notifications about clarifications, confirm buttons, the edit form.
(function () {
  "use strict";
  var root = document.getElementById("contest");

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function formatLeft(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    var d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
    var clock = pad(h) + ":" + pad(m) + ":" + pad(s % 60);
    return d ? d + "d " + clock : clock;
  }

  function startCountdown(el) {
    var until = Date.parse(el.dataset.countdown);
    var skew = Date.parse(el.dataset.now) - Date.now(); // trust the server's clock, not the visitor's
    if (isNaN(until)) return;
    function tick() {
      var left = until - (Date.now() + skew);
      el.textContent = formatLeft(left);
      el.classList.toggle("clock-soon", left < 5 * 60 * 1000);
      if (left <= 0) {
        clearInterval(timer);
        setTimeout(function () { location.reload(); }, 1000 + Math.random() * 2000); // the phase changed
      }
    }
    var timer = setInterval(tick, 1000);
    tick();
  }

  function toast(title, text, href) {
    var box = document.getElementById("toasts");
    if (!box) return;
    var item = document.createElement(href ? "a" : "div");
    item.className = "toast";
    if (href) item.href = href;
    var strong = document.createElement("strong");
    strong.textContent = title;
    var body = document.createElement("span");
    body.textContent = text.length > 140 ? text.slice(0, 140) + "…" : text;
    item.append(strong, body);
    box.append(item);
    setTimeout(function () { item.classList.add("toast-out"); }, 12000);
    setTimeout(function () { item.remove(); }, 12600);
  }

  function onClarification(m) {
    var c = m.clarification;
    var about = c.problem ? "Problem " + c.problem : "General";
    var staff = root.dataset.staff === "1";
    if (m.event === "asked") {
      toast("New question · " + about + (c.author ? " · " + c.author : ""), c.question, root.dataset.clarificationsUrl);
      var count = root.querySelector("[data-clar-count]");
      if (count) { count.textContent = String(Number(count.textContent || 0) + 1); count.hidden = false; }
    } else if (staff && !c.is_public) {
      return; // staff answered privately: nothing new for the other staff to read
    } else {
      var title = c.is_public ? "Clarification for everyone · " + about : "Your question was answered · " + about;
      toast(title, c.answer, root.dataset.clarificationsUrl + "#clar-" + c.id);
    }
  }

  if (root && window.OJLive && root.dataset.wsUrl) {
    OJLive.socket(root.dataset.wsUrl, {
      onMessage: function (m) { if (m.type === "clarification") onClarification(m); },
    });
  }

  document.querySelectorAll("[data-countdown]").forEach(startCountdown);

  document.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  });

  // Edit form: show the window length and the invite list only when they apply.
  function follow(name, value, target) {
    var inputs = document.querySelectorAll("input[name=" + name + "]");
    var box = document.getElementById(target);
    if (!inputs.length || !box) return;
    function update() {
      var chosen = document.querySelector("input[name=" + name + "]:checked");
      box.hidden = !chosen || chosen.value !== value;
    }
    inputs.forEach(function (input) { input.addEventListener("change", update); });
    update();
  }
  follow("timing", "window", "window-field");
  follow("access", "invited", "invitees-field");
})();
