/* Marks the evidence of one code at a time in the case text: the code pointed at
   or focused, else the one chosen. Choosing a code (click, Enter) keeps it marked,
   choosing it again unmarks it; without this script the links do the same through
   the page address (?ev=dimension.code). */
(function () {
  "use strict";
  var text = document.querySelector("[data-evidence-text]");
  if (!text) { return; }
  var links = document.querySelectorAll("a.ev-link[data-ev]");
  var chosen = text.getAttribute("data-chosen") || "";

  function mark(key) {
    text.querySelectorAll(".ev").forEach(function (span) {
      var keys = span.getAttribute("data-ev").split(" ");
      span.classList.toggle("on", key !== "" && keys.indexOf(key) >= 0);
    });
  }

  // Beside the codes (a wide screen) the text scrolls in its own box: bring the
  // first marked sentence into that box without moving the page. Above them (a
  // phone) only a chosen code moves the page, to its first sentence.
  function reveal(chosenNow) {
    var first = text.querySelector(".ev.on");
    if (!first) { return; }
    if (text.scrollHeight > text.clientHeight + 1) {
      var box = text.getBoundingClientRect();
      var at = first.getBoundingClientRect();
      if (at.top < box.top || at.bottom > box.bottom) {
        text.scrollTop += at.top - box.top - box.height / 3;
      }
    } else if (chosenNow) {
      first.scrollIntoView({ block: "center" });
    }
  }

  links.forEach(function (link) {
    var key = link.getAttribute("data-ev");
    link.addEventListener("mouseenter", function () { mark(key); reveal(false); });
    link.addEventListener("focus", function () { mark(key); reveal(false); });
    link.addEventListener("mouseleave", function () { mark(chosen); });
    link.addEventListener("blur", function () { mark(chosen); });
    link.addEventListener("click", function (event) {
      event.preventDefault();
      chosen = chosen === key ? "" : key;
      links.forEach(function (other) {
        if (other.getAttribute("data-ev") === chosen) {
          other.setAttribute("aria-current", "true");
        } else {
          other.removeAttribute("aria-current");
        }
      });
      var url = new URL(window.location.href);
      if (chosen) { url.searchParams.set("ev", chosen); } else { url.searchParams.delete("ev"); }
      url.hash = "";
      window.history.replaceState(null, "", url.toString());
      text.setAttribute("data-chosen", chosen);
      mark(chosen);
      reveal(true);
    });
  });
})();
