// The office dashboard's agency table is loaded when the person scrolls near it: <div data-load="URL"> is
// replaced by what URL returns (the table alone). Without JavaScript, or if loading fails, the div's link
// to the table's own page stays.
(function () {
  function load(slot) {
    if (slot.dataset.loading) return;
    slot.dataset.loading = "1";
    slot.setAttribute("aria-busy", "true");
    fetch(slot.dataset.load, {credentials: "same-origin", headers: {"X-Requested-With": "fetch"}})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) { slot.innerHTML = html; slot.removeAttribute("data-load"); })
      .catch(function () { delete slot.dataset.loading; })
      .finally(function () { slot.removeAttribute("aria-busy"); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var slots = document.querySelectorAll("[data-load]");
    if (!("IntersectionObserver" in window)) { slots.forEach(load); return; }
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) { if (e.isIntersecting) { seen.unobserve(e.target); load(e.target); } });
    }, {rootMargin: "600px 0px"});
    slots.forEach(function (slot) { seen.observe(slot); });
  });
})();
