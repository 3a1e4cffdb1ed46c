// Tests pages: confirm deletions, show chosen file names, scroll to a form that came back with errors.
(function () {
  "use strict";

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });

  document.querySelectorAll("button[data-delete]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      var row = button.closest("form");
      if (!window.confirm(row.dataset.confirmDelete)) event.preventDefault();
    });
  });

  document.querySelectorAll(".file-pick input[type=file]").forEach(function (input) {
    var label = input.closest(".file-pick").querySelector("[data-file-name]");
    input.addEventListener("change", function () {
      var chosen = input.files && input.files[0];
      label.textContent = chosen ? chosen.name + " (" + Math.ceil(chosen.size / 1024) + " KiB)" : "No file chosen";
      label.classList.toggle("file-chosen", Boolean(chosen));
    });
  });

  var upload = document.getElementById("upload-form");
  if (upload) {
    upload.addEventListener("submit", function (event) {
      var replace = upload.querySelector("input[name=mode][value=replace]");
      if (replace && replace.checked && !window.confirm("Replace all current tests with the ones in this archive?")) {
        event.preventDefault();
        return;
      }
      var button = upload.querySelector("button[type=submit]");
      button.setAttribute("aria-disabled", "true");
      button.textContent = "Importing…";
    });
  }

  var invalid = document.querySelector(".form-errors, .field-invalid");
  if (invalid) invalid.scrollIntoView({block: "center"});
})();
