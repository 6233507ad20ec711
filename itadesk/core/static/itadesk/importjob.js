// The progress bar of a background import job (core/import_preview.html): polls the job's status URL
// (data-import-job) every second and reloads the page when the job is finished, which then shows the preview.
(function () {
  "use strict";
  const box = document.querySelector("[data-import-job]");
  if (!box) return;
  const meter = box.querySelector(".progress");
  const bar = box.querySelector("[data-import-bar]");
  const label = box.querySelector("[data-import-label]");
  const number = new Intl.NumberFormat(document.documentElement.lang || "th");

  function show(s) {
    const percent = s.percent === null ? 100 : s.percent;  // unknown: a full striped bar that moves
    bar.style.width = percent + "%";
    meter.setAttribute("aria-valuenow", String(s.percent === null ? 0 : s.percent));
    label.textContent = s.label + (s.total ? " " + number.format(s.done) + " / " + number.format(s.total) : "");
  }

  async function poll() {
    try {
      const response = await fetch(box.dataset.importJob, {headers: {Accept: "application/json"},
                                                            credentials: "same-origin"});
      if (response.ok) {
        const s = await response.json();
        show(s);
        if (s.finished) {
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      // the server is restarting: try again
    }
    window.setTimeout(poll, 1000);
  }
  poll();
})();
