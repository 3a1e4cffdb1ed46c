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

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function withBreaks(node, text) {
    text.split("\n").forEach(function (line, i) {
      if (i) node.appendChild(document.createElement("br"));
      node.appendChild(document.createTextNode(line));
    });
    return node;
  }

  function newCard(c) {
    var card = el("article", "card clar clar-new");
    card.id = "clar-" + c.id;
    card.dataset.id = c.id;
    var head = el("header", "clar-head");
    head.appendChild(el("span", "label-chip" + (c.problem ? "" : " label-chip-general"), c.problem || "General"));
    if (c.announcement) {
      card.classList.add("clar-announcement");
      head.appendChild(el("span", "pill pill-announcement", "Announcement"));
    }
    card.append(head, withBreaks(el("p", "clar-question"), c.question));
    return card;
  }

  // The clarifications page: the answer goes into its question's card; a public answer to someone
  // else's question, or an announcement, arrives as a new card on top.
  function showOnPage(c) {
    var list = document.getElementById("clar-list");
    if (!list || !c.answered) return;
    var card = list.querySelector('article[data-id="' + c.id + '"]');
    if (!card) {
      card = newCard(c);
      list.prepend(card);
      var empty = document.getElementById("clar-empty");
      if (empty) empty.remove();
    }
    var count = root.querySelector("[data-clar-count]");
    if (count && card.classList.contains("clar-open")) {
      count.textContent = String(Math.max(0, Number(count.textContent || 0) - 1));
      count.hidden = count.textContent === "0";
    }
    card.classList.remove("clar-open");
    var waiting = card.querySelector(".clar-waiting");
    if (waiting) waiting.remove();
    var answer = card.querySelector(".clar-answer");
    if (!answer) {
      answer = el("div", "clar-answer");
      card.querySelector(".clar-question").after(answer);
    }
    answer.replaceChildren();
    if (!c.announcement) answer.appendChild(el("span", "clar-answer-label", "Answer"));
    withBreaks(answer, c.answer);
    var head = card.querySelector(".clar-head");
    var pill = head.querySelector(".pill-public");
    if (c.is_public && !c.announcement && !pill) {
      pill = el("span", "pill pill-public", "To everyone");
      var time = head.querySelector("time");
      if (time) time.before(pill); else head.appendChild(pill);
    } else if (!c.is_public && pill) {
      pill.remove();
    }
  }

  function onClarification(m) {
    var c = m.clarification;
    var about = c.problem ? "Problem " + c.problem : "General";
    var staff = root.dataset.staff === "1";
    if (m.event !== "asked") showOnPage(c);
    if (m.event === "announced") {
      toast("Announcement · " + about, c.question, root.dataset.clarificationsUrl + "#clar-" + c.id);
    } else if (m.event === "asked") {
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
