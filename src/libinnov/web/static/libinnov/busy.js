/* A form marked data-busy says it is working once sent: its button shows its
   data-busy-label and a spinner, and a second press sends nothing more. The
   button is not disabled, so its own name and value still go with the form. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-busy]") || event.defaultPrevented) { return; }
    if (form.getAttribute("aria-busy") === "true") {
      event.preventDefault();
      return;
    }
    form.setAttribute("aria-busy", "true");
    var button = event.submitter || form.querySelector("button");
    if (!button) { return; }
    button.classList.add("busy");
    button.setAttribute("aria-disabled", "true");
    if (button.hasAttribute("data-busy-label")) {
      button.setAttribute("data-idle-label", button.textContent);
      button.textContent = button.getAttribute("data-busy-label");
    }
  });
  // coming back to the page from the browser's history shows it idle again
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-busy][aria-busy]").forEach(function (form) {
      form.removeAttribute("aria-busy");
      form.querySelectorAll("button.busy").forEach(function (button) {
        button.classList.remove("busy");
        button.removeAttribute("aria-disabled");
        if (button.hasAttribute("data-idle-label")) {
          button.textContent = button.getAttribute("data-idle-label");
        }
      });
    });
  });
})();
