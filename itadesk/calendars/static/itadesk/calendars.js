// Calendar feed box: the "Copy" button copies the feed address (itadesk/calendars).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-from]");
    if (!button) { return; }
    var input = document.getElementById(button.getAttribute("data-copy-from"));
    if (!input) { return; }
    input.select();
    var done = function () {
      button.textContent = button.getAttribute("data-copied-text") || "Copied";
      button.classList.add("btn-success");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () {
        if (document.execCommand("copy")) { done(); }
      });
    } else if (document.execCommand("copy")) {
      done();
    }
  });
}());
