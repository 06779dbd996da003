// Progressive enhancement: sortable columns. Without script the table is already worst first.
(function () {
  "use strict";
  var table = document.getElementById("documents-table");
  if (!table || !table.tBodies.length) { return; }
  var hint = document.querySelector(".js-only");
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
})();
