// Live countdowns: <span class="countdown" data-deadline="ISO" data-lang="th|en">
(function () {
  function words(ms, lang) {
    var overdue = ms < 0; ms = Math.abs(ms);
    var d = Math.floor(ms / 86400000), h = Math.floor(ms % 86400000 / 3600000), m = Math.floor(ms % 3600000 / 60000);
    var parts = [];
    if (lang === "en") {
      if (d) parts.push(d + " d"); if (d || h) parts.push(h + " h"); if (!d) parts.push(m + " min");
      return parts.join(" ") + (overdue ? " overdue" : " left");
    }
    if (d) parts.push(d + " วัน"); if (d || h) parts.push(h + " ชั่วโมง"); if (!d) parts.push(m + " นาที");
    return (overdue ? "เลยกำหนด " : "อีก ") + parts.join(" ");
  }
  function tick() {
    document.querySelectorAll(".countdown[data-deadline]").forEach(function (el) {
      var ms = new Date(el.dataset.deadline) - new Date();
      el.textContent = words(ms, el.dataset.lang);
      el.classList.toggle("overdue", ms < 0);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { tick(); setInterval(tick, 30000); });
})();

// [data-print] buttons print the page (the print style sheet hides navigation and forms);
// [data-select-all] check boxes tick or untick every agency box of their table.
document.addEventListener("click", function (e) {
  if (e.target.closest("[data-print]")) window.print();
});
document.addEventListener("change", function (e) {
  var all = e.target.closest("[data-select-all]");
  if (!all) return;
  all.closest("table").querySelectorAll("tbody input[type=checkbox]").forEach(function (box) { box.checked = all.checked; });
});
