// A calendar for the Thai date boxes: <input data-thai-date="date|datetime" [data-default-time="17:00"]>.
// Progressive enhancement: the box works alone (the server reads 15/05/2570, ๑๕/๐๕/๒๕๗๐, 15 พ.ค. 2570 …);
// this adds a button that opens a month grid with Thai month names and Buddhist-era years, and a time
// box for date-times. It writes 15/05/2570 or 15/05/2570 17:00 back into the box.
// Keyboard: arrows move a day / a week, PageUp/PageDown a month (with Shift a year), Home/End the start or
// end of the week, Enter or Space picks, Escape closes and returns to the box.
(function () {
  "use strict";
  var TH = {
    months: ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
             "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"],
    days: ["อา", "จ", "อ", "พ", "พฤ", "ศ", "ส"],
    open: "เลือกวันที่", prevMonth: "เดือนก่อน", nextMonth: "เดือนถัดไป", prevYear: "ปีก่อน", nextYear: "ปีถัดไป",
    today: "วันนี้", time: "เวลา", hhmm: "ชช:นน", close: "ปิด", era: "พ.ศ. "
  };
  var EN = {
    months: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"],
    days: ["Su", "Mo", "Tu", "We", "Th", "Fr", "Sa"],
    open: "Choose a date", prevMonth: "Previous month", nextMonth: "Next month", prevYear: "Previous year",
    nextYear: "Next year", today: "Today", time: "Time", hhmm: "hh:mm", close: "Close", era: "BE "
  };
  var T = (document.documentElement.lang || "th").indexOf("en") === 0 ? EN : TH;
  var MONTH_WORDS = {};
  TH.months.forEach(function (m, i) { MONTH_WORDS[m] = i; });
  ["มค", "กพ", "มีค", "เมย", "พค", "มิย", "กค", "สค", "กย", "ตค", "พย", "ธค"].forEach(function (m, i) {
    MONTH_WORDS[m] = i;
  });

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function arabic(s) { return s.replace(/[๐-๙]/g, function (c) { return String(c.charCodeAt(0) - 0x0E50); }); }

  // The date (a local Date at midnight) and time ("17:00" or "") in a box's text, or null.
  function read(text) {
    text = arabic(text || "").trim();
    var m = text.match(/^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]+(\d{1,2})[:.](\d{2}))?/);
    var y, mo, d, h = null, mi = null;
    if (m) {
      y = +m[1]; mo = +m[2] - 1; d = +m[3]; h = m[4]; mi = m[5];
      if (y >= 2400) y -= 543;
    } else {
      m = text.match(/^(\d{1,2})\s*[\/.\-]\s*(\d{1,2})\s*[\/.\-]\s*(\d{4}|\d{2})(?!\d)(?:\s+(?:เวลา\s*)?(\d{1,2})[:.](\d{2}))?/);
      if (m) {
        d = +m[1]; mo = +m[2] - 1; y = +m[3]; h = m[4]; mi = m[5];
      } else {
        m = text.match(/^(\d{1,2})\s*([^\d]+?)\s*(\d{4}|\d{2})(?!\d)(?:\s+(?:เวลา\s*)?(\d{1,2})[:.](\d{2}))?/);
        if (!m) return null;
        var key = m[2].replace(/[.\s]|พศ/g, "");
        if (!(key in MONTH_WORDS)) return null;
        d = +m[1]; mo = MONTH_WORDS[key]; y = +m[3]; h = m[4]; mi = m[5];
      }
      if (y < 100) y += 2500;
      if (y < 2400) return null;  // the server explains why; the calendar opens on today
      y -= 543;
    }
    var date = new Date(y, mo, d);
    if (date.getMonth() !== mo || date.getDate() !== d) return null;
    return { date: date, time: h != null ? pad(+h) + ":" + mi : "" };
  }

  function write(date, time) {
    var text = pad(date.getDate()) + "/" + pad(date.getMonth() + 1) + "/" + (date.getFullYear() + 543);
    return time ? text + " " + time : text;
  }

  function sameDay(a, b) { return a && b && a.toDateString() === b.toDateString(); }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = text;
    return node;
  }

  var counter = 0;

  function enhance(input) {
    if (input.dataset.thaiDateReady) return;
    input.dataset.thaiDateReady = "1";
    var withTime = input.dataset.thaiDate === "datetime";
    var id = "thaidate-" + (++counter);
    var group = el("div", { "class": "input-group thaidate" });
    if (input.classList.contains("form-control-sm")) group.classList.add("input-group-sm");
    input.parentNode.insertBefore(group, input);
    group.appendChild(input);
    var button = el("button", { type: "button", "class": "btn btn-outline-secondary", "aria-label": T.open,
                                title: T.open, "aria-haspopup": "dialog", "aria-expanded": "false",
                                "aria-controls": id, "data-testid": "thaidate-open" });
    button.innerHTML = '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" fill="currentColor">' +
      '<path d="M4 0v2H1.5A1.5 1.5 0 0 0 0 3.5v11A1.5 1.5 0 0 0 1.5 16h13a1.5 1.5 0 0 0 1.5-1.5v-11A1.5 1.5 0 0 0 ' +
      '14.5 2H12V0h-1v2H5V0zM1 6h14v8.5a.5.5 0 0 1-.5.5h-13a.5.5 0 0 1-.5-.5zm2 2v2h2V8zm4 0v2h2V8zm4 0v2h2V8z' +
      'M3 11v2h2v-2zm4 0v2h2v-2z"/></svg>';
    group.appendChild(button);

    var popup = el("div", { id: id, "class": "thaidate-popup", role: "dialog", "aria-label": T.open, hidden: "" });
    group.appendChild(popup);
    var head = el("div", { "class": "thaidate-head" });
    var prevY = el("button", { type: "button", "class": "btn btn-sm btn-link", "aria-label": T.prevYear }, "«");
    var prevM = el("button", { type: "button", "class": "btn btn-sm btn-link", "aria-label": T.prevMonth }, "‹");
    var title = el("div", { "class": "thaidate-title", "aria-live": "polite", "data-testid": "thaidate-title" });
    var nextM = el("button", { type: "button", "class": "btn btn-sm btn-link", "aria-label": T.nextMonth }, "›");
    var nextY = el("button", { type: "button", "class": "btn btn-sm btn-link", "aria-label": T.nextYear }, "»");
    [prevY, prevM, title, nextM, nextY].forEach(function (n) { head.appendChild(n); });
    popup.appendChild(head);
    var timeBox = null;
    if (withTime) {
      var row = el("div", { "class": "thaidate-time" });
      var label = el("label", { "for": id + "-time", "class": "form-label small mb-0" }, T.time);
      timeBox = el("input", { id: id + "-time", type: "text", inputmode: "numeric", "class": "form-control form-control-sm",
                              placeholder: T.hhmm, autocomplete: "off", "data-testid": "thaidate-time" });
      row.appendChild(label); row.appendChild(timeBox);
      popup.appendChild(row);
    }
    var grid = el("table", { "class": "thaidate-grid", role: "grid", "aria-labelledby": id + "-title" });
    title.id = id + "-title";
    popup.appendChild(grid);
    var foot = el("div", { "class": "thaidate-foot" });
    var todayBtn = el("button", { type: "button", "class": "btn btn-sm btn-outline-primary" }, T.today);
    var closeBtn = el("button", { type: "button", "class": "btn btn-sm btn-link" }, T.close);
    foot.appendChild(todayBtn); foot.appendChild(closeBtn);
    popup.appendChild(foot);

    var focusDay = null, chosen = null;

    function render() {
      title.textContent = T.months[focusDay.getMonth()] + " " + T.era + (focusDay.getFullYear() + 543);
      grid.textContent = "";
      var thead = el("thead"), tr = el("tr");
      T.days.forEach(function (d) { tr.appendChild(el("th", { scope: "col", abbr: d }, d)); });
      thead.appendChild(tr); grid.appendChild(thead);
      var tbody = el("tbody");
      var first = new Date(focusDay.getFullYear(), focusDay.getMonth(), 1);
      var day = new Date(first); day.setDate(1 - first.getDay());
      var today = new Date();
      for (var w = 0; w < 6; w++) {
        var row = el("tr");
        for (var i = 0; i < 7; i++) {
          var cell = el("td", { role: "gridcell" });
          var b = el("button", { type: "button", tabindex: sameDay(day, focusDay) ? "0" : "-1",
                                 "data-day": write(day, ""),
                                 "aria-label": day.getDate() + " " + T.months[day.getMonth()] + " " + (day.getFullYear() + 543) },
                     String(day.getDate()));
          if (day.getMonth() !== focusDay.getMonth()) b.classList.add("other");
          if (sameDay(day, today)) b.classList.add("today");
          if (sameDay(day, chosen)) { b.classList.add("chosen"); b.setAttribute("aria-selected", "true"); }
          cell.appendChild(b); row.appendChild(cell);
          day.setDate(day.getDate() + 1);
        }
        tbody.appendChild(row);
      }
      grid.appendChild(tbody);
    }

    function focusCurrent() {
      var b = grid.querySelector("button[tabindex='0']");
      if (b) b.focus();
    }

    function move(days, months) {
      var d = new Date(focusDay);
      if (months) {
        var target = d.getMonth() + months;
        d = new Date(d.getFullYear(), target, 1);
        var last = new Date(d.getFullYear(), d.getMonth() + 1, 0).getDate();
        d.setDate(Math.min(focusDay.getDate(), last));
      } else {
        d.setDate(d.getDate() + days);
      }
      focusDay = d; render(); focusCurrent();
    }

    function open() {
      var current = read(input.value);
      chosen = current ? current.date : null;
      focusDay = chosen ? new Date(chosen) : new Date(new Date().setHours(0, 0, 0, 0));
      if (timeBox) timeBox.value = (current && current.time) || timeBox.value || input.dataset.defaultTime || "";
      render();
      popup.hidden = false;
      button.setAttribute("aria-expanded", "true");
      focusCurrent();
    }

    function close(refocus) {
      popup.hidden = true;
      button.setAttribute("aria-expanded", "false");
      if (refocus) input.focus();
    }

    function pick(date) {
      var time = timeBox ? arabic(timeBox.value).trim().replace(".", ":") : "";
      if (/^\d:\d\d$/.test(time)) time = "0" + time;
      input.value = write(date, time);
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
      close(true);
    }

    button.addEventListener("click", function () { if (popup.hidden) open(); else close(true); });
    prevM.addEventListener("click", function () { move(0, -1); });
    nextM.addEventListener("click", function () { move(0, 1); });
    prevY.addEventListener("click", function () { move(0, -12); });
    nextY.addEventListener("click", function () { move(0, 12); });
    todayBtn.addEventListener("click", function () { pick(new Date(new Date().setHours(0, 0, 0, 0))); });
    closeBtn.addEventListener("click", function () { close(true); });
    grid.addEventListener("click", function (e) {
      var b = e.target.closest("button[data-day]");
      if (b) pick(read(b.dataset.day).date);
    });
    grid.addEventListener("keydown", function (e) {
      var keys = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [-7, 0], ArrowDown: [7, 0],
                   PageUp: [0, e.shiftKey ? -12 : -1], PageDown: [0, e.shiftKey ? 12 : 1],
                   Home: [-focusDay.getDay(), 0], End: [6 - focusDay.getDay(), 0] };
      if (keys[e.key]) { e.preventDefault(); move(keys[e.key][0], keys[e.key][1]); }
      else if (e.key === "Enter" || e.key === " ") {
        var b = e.target.closest("button[data-day]");
        if (b) { e.preventDefault(); pick(read(b.dataset.day).date); }
      }
    });
    popup.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { e.preventDefault(); close(true); }
    });
    if (timeBox) {
      timeBox.addEventListener("keydown", function (e) {
        if (e.key === "Enter") { e.preventDefault(); pick(focusDay); }
      });
    }
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && e.altKey) { e.preventDefault(); open(); }
    });
    document.addEventListener("click", function (e) {
      if (!popup.hidden && !group.contains(e.target)) close(false);
    });
  }

  function scan(root) {
    (root || document).querySelectorAll("input[data-thai-date='date'], input[data-thai-date='datetime']")
      .forEach(enhance);
  }
  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:load", function (e) { scan(e.target); });
})();
