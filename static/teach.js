// The teachers' pages, improved; every one of them works without this script.
(function () {
  "use strict";

  // The question form: the chosen type's fields show as soon as the type changes. Without this
  // script, "Show fields for this type" sends the form back with them (nothing typed is lost:
  // every type's fields are in the page, those of other types hidden).
  var editor = document.querySelector("[data-question-editor]");
  if (editor) {
    var select = editor.querySelector("select[name=type]");
    var parts = editor.querySelectorAll("[data-types]");
    var show = function () {
      Array.prototype.forEach.call(parts, function (part) {
        var types = part.getAttribute("data-types").split(" ");
        part.hidden = types.indexOf(select.value) < 0;
      });
    };
    // The button is not needed any more, and pressing Enter in a field must save the question,
    // not reach this first submit button of the form.
    var button = editor.querySelector("[data-show-fields]");
    if (button) {
      button.parentNode.removeChild(button);
    }
    select.addEventListener("change", show);
    show();
  }

  // Suggested facts: "Select all" and "Select none" tick the boxes in place (without this
  // script they are links that show the page again with the boxes ticked or not).
  Array.prototype.forEach.call(document.querySelectorAll("[data-select-boxes]"), function (link) {
    link.addEventListener("click", function (event) {
      var form = document.getElementById(link.getAttribute("data-select-boxes"));
      if (!form) {
        return;
      }
      event.preventDefault();
      var ticked = link.getAttribute("data-ticked") === "true";
      // form.elements holds the boxes tied to the form by their form attribute, too.
      Array.prototype.forEach.call(form.elements, function (box) {
        if (box.type === "checkbox") {
          box.checked = ticked;
        }
      });
    });
  });
})();
