// tilint serve: progressive enhancement only. Without this file every highlight is a link to its
// entry in the findings list; with it, selecting a highlight opens the detail panel beside the
// text (a bottom sheet on narrow screens). The panel's content is copied from the server-rendered
// list with cloneNode, so no document text ever passes through innerHTML.
(function () {
  "use strict";

  function init() {
    var panel = document.getElementById("detail");
    var body = document.getElementById("detail-body");
    var title = document.getElementById("detail-title");
    var position = document.getElementById("detail-position");
    var status = document.getElementById("result-status");
    var formError = document.getElementById("form-error");

    if (formError) {
      formError.focus();
    }
    if (status) {
      // Re-set the result count so screen readers announce it once the page has loaded.
      var message = status.textContent.replace(/\s+/g, " ").trim();
      status.textContent = "";
      window.setTimeout(function () { status.textContent = message; }, 100);
    }
    if (!panel || !body) {
      return;
    }

    var marks = Array.prototype.slice.call(document.querySelectorAll("a[data-finding]"));
    var current = -1;
    panel.hidden = false;
    panel.querySelector('[data-action="prev"]').disabled = true;

    function narrow() {
      return window.matchMedia("(max-width: 55.99rem)").matches;
    }

    function show(order, moveFocus) {
      if (order < 0 || order >= marks.length) {
        return;
      }
      if (current >= 0) {
        marks[current].parentNode.classList.remove("selected");
        marks[current].removeAttribute("aria-current");
      }
      current = order;
      var mark = marks[order];
      var index = mark.getAttribute("data-finding");
      var entry = document.getElementById("finding-" + index);
      mark.parentNode.classList.add("selected");
      mark.setAttribute("aria-current", "true");

      title.textContent = "\u201c" + (entry ? entry.getAttribute("data-phrase") : mark.textContent) + "\u201d";
      while (body.firstChild) {
        body.removeChild(body.firstChild);
      }
      var source = entry && entry.querySelector(".finding-body");
      if (source) {
        var copy = source.cloneNode(true);
        // ids must stay unique: the copy's message is described by the list entry already
        Array.prototype.forEach.call(copy.querySelectorAll("[id]"), function (el) { el.removeAttribute("id"); });
        // the panel's title is an h2, so its sub-headings are h3 (they are h4 under the list's h3)
        Array.prototype.forEach.call(copy.querySelectorAll("h4"), function (h4) {
          var h3 = document.createElement("h3");
          while (h4.firstChild) {
            h3.appendChild(h4.firstChild);
          }
          h4.parentNode.replaceChild(h3, h4);
        });
        body.appendChild(copy);
      }
      position.textContent = "Finding " + (order + 1) + " of " + marks.length;
      panel.querySelector('[data-action="prev"]').disabled = order === 0;
      panel.querySelector('[data-action="next"]').disabled = order === marks.length - 1;
      panel.classList.add("open");
      document.body.classList.toggle("detail-open", narrow());
      mark.scrollIntoView({ block: narrow() ? "start" : "nearest", behavior: "instant" });
      if (moveFocus) {
        title.focus();
      }
    }

    function close() {
      panel.classList.remove("open");
      document.body.classList.remove("detail-open");
      if (current >= 0) {
        marks[current].focus();
      }
    }

    marks.forEach(function (mark, order) {
      mark.addEventListener("click", function (event) {
        event.preventDefault();
        show(order, true);
      });
    });

    panel.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-action]");
      if (!button) {
        return;
      }
      var action = button.getAttribute("data-action");
      if (action === "close") {
        close();
      } else if (action === "prev" && current > 0) {
        show(current - 1, false);
        marks[current].focus();
      } else if (action === "next" && current < marks.length - 1) {
        show(current + 1, false);
        marks[current].focus();
      }
    });

    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && panel.classList.contains("open") && narrow()) {
        close();
      }
    });

    // "Show in the text" links in the list select the finding too.
    Array.prototype.forEach.call(document.querySelectorAll('.finding .back a'), function (link) {
      link.addEventListener("click", function (event) {
        var id = link.getAttribute("href").slice(1);
        var order = marks.findIndex(function (m) { return m.id === id; });
        if (order >= 0) {
          event.preventDefault();
          show(order, false);
          marks[order].focus();
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
