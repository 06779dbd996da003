// Progressive enhancement. Sections load when opened: with script on, a <noscript> inside a
// <details class="lazy"> holds its content as one inert string, built into the page only when the
// section is first opened. Tables become sortable once loaded. Without script the page is complete.
(function () {
  "use strict";

  function sortable(table) {
    if (!table.tHead || !table.tBodies.length || table.getAttribute("data-sortable") === "on") { return; }
    table.setAttribute("data-sortable", "on");
    var hint = table.parentNode.querySelector(".js-only");
    if (hint) { hint.hidden = false; }
    var headers = table.tHead.rows[0].cells;
    function key(row, index, numeric) {
      var cell = row.cells[index];
      var value = cell.getAttribute("data-sort");
      if (value === null) { value = cell.textContent; }
      return numeric ? parseFloat(value) || 0 : value.toLowerCase();
    }
    function sortBy(index) {
      var header = headers[index];
      var numeric = header.getAttribute("data-type") === "number";
      var ascending = header.getAttribute("aria-sort") === "descending" ||
        (header.getAttribute("aria-sort") !== "ascending" && !numeric);
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = key(a, index, numeric), y = key(b, index, numeric);
        var order = x < y ? -1 : x > y ? 1 : 0;
        return ascending ? order : -order;
      });
      var fragment = document.createDocumentFragment();
      rows.forEach(function (row) { fragment.appendChild(row); });
      body.appendChild(fragment);
      for (var i = 0; i < headers.length; i++) {
        headers[i].setAttribute("aria-sort", "none");
        headers[i].querySelector(".arrow").textContent = " \u2195";
      }
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      header.querySelector(".arrow").textContent = ascending ? " \u2191" : " \u2193";
    }
    Array.prototype.forEach.call(headers, function (header, index) {
      var button = document.createElement("button");
      button.type = "button";
      while (header.firstChild) { button.appendChild(header.firstChild); }
      var arrow = document.createElement("span");
      arrow.className = "arrow";
      arrow.setAttribute("aria-hidden", "true");
      arrow.textContent = " \u2195";
      button.appendChild(arrow);
      header.appendChild(button);
      header.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () { sortBy(index); });
    });
  }

  function load(details) {
    var holder = details.querySelector(":scope > noscript");
    if (!holder) { return; }
    var content = document.createElement("div");
    content.className = "loaded";
    // The markup was escaped by the report's template when it was written, exactly as if it had
    // been part of the page; the page's Content Security Policy still applies to it.
    content.innerHTML = holder.textContent;
    holder.replaceWith(content);
    Array.prototype.forEach.call(content.querySelectorAll("table.sortable"), sortable);
  }

  var lazy = document.querySelectorAll("details.lazy");
  Array.prototype.forEach.call(lazy, function (details) {
    details.addEventListener("toggle", function () { if (details.open) { load(details); } });
    if (details.open) { load(details); }
  });

  // A link to a collapsed section (#doc-3, #changes) opens it.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.tagName === "DETAILS" && !target.open) {
      target.open = true;
      load(target);
      target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
