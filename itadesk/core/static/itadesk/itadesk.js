// Live countdowns: <span class="countdown" data-deadline="ISO" data-lang="th|en">
(function () {
  function words(ms, lang) {
    var overdue = ms < 0; ms = Math.abs(ms);
    var d = Math.floor(ms / 86400000), h = Math.floor(ms % 86400000 / 3600000), m = Math.floor(ms % 3600000 / 60000);
    var parts = [];
    if (!d && !h && !m) {  // the minute either side of the deadline: never "0 min left" while there is time
      if (lang === "en") return overdue ? "under 1 min overdue" : "under 1 min left";
      return overdue ? "เลยกำหนดไม่ถึง 1 นาที" : "อีกไม่ถึง 1 นาที";
    }
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

// No inline script anywhere (the Content-Security-Policy forbids it): pages say what they need with data- attributes.
// [data-print] buttons print the page (the print style sheet hides navigation and forms);
// [data-select-all] check boxes tick or untick every agency box of their table, or, given a selector
// (data-select-all="input[name=agencies]"), every box it names;
// a [data-confirm] button, or a form[data-confirm] when sent, asks its question first and stops on "Cancel";
// a select[data-autosubmit] sends its form when changed.
document.addEventListener("click", function (e) {
  if (e.target.closest("[data-print]")) window.print();
  var ask = e.target.closest("[data-confirm]:not(form)");
  if (ask && !window.confirm(ask.dataset.confirm)) e.preventDefault();
});
document.addEventListener("submit", function (e) {
  var form = e.target;
  if (form.matches && form.matches("form[data-confirm]") && !window.confirm(form.dataset.confirm)) e.preventDefault();
});
document.addEventListener("change", function (e) {
  var auto = e.target.closest("select[data-autosubmit]");
  if (auto && auto.form) { auto.form.submit(); return; }
  var all = e.target.closest("[data-select-all]");
  if (!all) return;
  var boxes = all.dataset.selectAll ? document.querySelectorAll(all.dataset.selectAll)
    : all.closest("table").querySelectorAll("tbody input[type=checkbox]");
  boxes.forEach(function (box) { box.checked = all.checked; });
});

// The top menu stays on one line (from 1200 px, where it is not collapsed): entries that do not fit move, from
// the last, into the "More" dropdown (#nav-more); they come back when the window grows.
(function () {
  function fitNav() {
    var main = document.getElementById("nav-main"), more = document.getElementById("nav-more");
    var box = document.querySelector("nav.navbar > .container-fluid");
    if (!main || !more || !box) return;
    var menu = more.querySelector(".dropdown-menu");
    while (menu.firstElementChild) {
      var back = menu.firstElementChild, link = back.querySelector("a");
      back.className = back.dataset.cls; if (link) link.className = link.dataset.cls;
      main.insertBefore(back, more);
    }
    more.classList.add("d-none");
    if (window.innerWidth < 1200) return;
    function over() { return box.scrollWidth > box.clientWidth + 1; }
    if (!over()) return;
    more.classList.remove("d-none");
    while (over()) {
      var items = main.querySelectorAll(":scope > li.nav-item:not(#nav-more)");
      if (items.length <= 1) break;
      var li = items[items.length - 1], a = li.querySelector("a");
      li.dataset.cls = li.className; li.className = "";
      if (a) { a.dataset.cls = a.className; a.className = "dropdown-item"; }
      menu.insertBefore(li, menu.firstChild);
    }
  }
  document.addEventListener("DOMContentLoaded", fitNav);
  window.addEventListener("load", fitNav);  // again once the web font has changed the widths
  window.addEventListener("resize", fitNav);
})();
