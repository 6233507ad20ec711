// While evidence URLs are typed: warn (never block) about each URL that is not on the agency's main
// website. <textarea data-main-domain="loei.go.th" data-offsite-target="ID">; the target's
// data-template holds the translated sentence with {host}. The server says the same on save.
(function () {
  function host(line) {
    try {
      var url = new URL(line.trim());
      if (url.protocol !== "http:" && url.protocol !== "https:") return null;
      return url.hostname.toLowerCase().replace(/\.$/, "");
    } catch (e) { return null; }
  }
  function offsite(text, domain) {
    domain = domain.toLowerCase().replace(/^www\./, "");
    var out = [];
    text.split(/\s+/).forEach(function (line) {
      var h = host(line);
      if (h && h !== domain && !h.endsWith("." + domain) && out.indexOf(h) < 0) out.push(h);
    });
    return out;
  }
  function update(area) {
    var target = document.getElementById(area.dataset.offsiteTarget);
    if (!target) return;
    target.textContent = "";
    offsite(area.value, area.dataset.mainDomain).forEach(function (h) {
      var div = document.createElement("div");
      div.textContent = "⚠ " + target.dataset.template.replace("{host}", h);
      target.appendChild(div);
    });
  }
  document.addEventListener("input", function (e) {
    if (e.target.matches && e.target.matches("textarea[data-main-domain]")) update(e.target);
  });
})();
