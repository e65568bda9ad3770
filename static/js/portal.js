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
  // A long multiple select gets a search box above it: typing hides the options whose
  // name does not match (chosen options always stay visible). Keyboard and screen-reader
  // users keep the native select; the label comes from data-filter-label (translated).
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var selects = document.querySelectorAll("select[data-filter-label]");
    Array.prototype.forEach.call(selects, function (select) {
      var wrapper = document.createElement("div");
      wrapper.className = "mb-2";
      var label = document.createElement("label");
      label.className = "form-label small";
      label.htmlFor = select.id + "-filter";
      label.textContent = select.getAttribute("data-filter-label");
      var input = document.createElement("input");
      input.type = "search";
      input.id = select.id + "-filter";
      input.className = "form-control form-control-sm";
      input.setAttribute("aria-controls", select.id);
      input.setAttribute("autocomplete", "off");
      input.addEventListener("input", function (event) {
        event.stopPropagation();
        var query = fold(input.value.trim());
        Array.prototype.forEach.call(select.options, function (option) {
          option.hidden = !(option.selected || !query || fold(option.text).indexOf(query) !== -1);
        });
      });
      // The search box is not a field of the form (no name): typing in it never autosaves.
      input.addEventListener("change", function (event) {
        event.stopPropagation();
      });
      wrapper.appendChild(label);
      wrapper.appendChild(input);
      select.parentNode.insertBefore(wrapper, select);
    });
  });
  // Move focus to the first field in error after a failed submission.
  document.addEventListener("DOMContentLoaded", function () {
    var invalid = document.querySelector(".is-invalid");
    if (invalid && typeof invalid.focus === "function") {
      invalid.focus();
    }
  });
})();
