// ESS Métro: small progressive enhancements. Every page works without JavaScript.
(function () {
  "use strict";
  // Forms that ask for a confirmation before a destructive or final action.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  // Move focus to the first field in error after a failed submission.
  document.addEventListener("DOMContentLoaded", function () {
    var invalid = document.querySelector(".is-invalid");
    if (invalid && typeof invalid.focus === "function") {
      invalid.focus();
    }
  });
})();
