// The contest form: the slug follows the title until edited by hand, and the problem picker
// writes the "problems" textarea (which the server parses, so the form works without this script too).
(function () {
  "use strict";

  function slugify(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60).replace(/-+$/, "");
  }

  function autoSlug() {
    var title = document.getElementById("id_title");
    var slug = document.getElementById("id_slug");
    if (!title || !slug) return;
    var auto = slug.value === "" || slug.value === slugify(title.value);
    title.addEventListener("input", function () { if (auto) slug.value = slugify(title.value); });
    slug.addEventListener("input", function () { auto = slug.value === ""; });
  }

  function picker() {
    var box = document.getElementById("problem-picker");
    if (!box) return;
    var textarea = document.getElementById(box.dataset.target);
    var tenant = document.getElementById("id_tenant");
    var rows = Array.prototype.slice.call(box.querySelectorAll(".picker-row"));

    var codes = rows.map(function (row) { return row.querySelector(".picker-check").value; });

    function write() {
      // Lines typed by hand for problems the picker doesn't list are kept, after the picked ones.
      var typed = textarea.value.split("\n").filter(function (line) {
        var parts = line.trim().split(/\s+/);
        return parts[0] && codes.indexOf(parts[parts.length - 1]) < 0;
      });
      textarea.value = rows.filter(function (row) {
        return !row.hidden && row.querySelector(".picker-check").checked;
      }).map(function (row) {
        var code = row.querySelector(".picker-check").value;
        var label = row.querySelector(".picker-label").value.trim().toUpperCase();
        return label ? label + " " + code : code;
      }).concat(typed).join("\n");
    }

    function showTenant() {
      // Only the chosen course's problems can be in its contest.
      if (!tenant || tenant.disabled) return;
      rows.forEach(function (row) { row.hidden = row.dataset.tenant !== tenant.value; });
    }

    box.addEventListener("input", write);
    box.addEventListener("change", write);
    if (tenant) tenant.addEventListener("change", function () { showTenant(); write(); });
    showTenant();
    box.hidden = false;
  }

  autoSlug();
  picker();
})();
