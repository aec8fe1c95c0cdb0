// Keyboard shortcuts for answer options (progressive enhancement; the page works without it).
// On a question with options (one answer or several), the keys 1 to 9 choose the matching
// option, as in Kahoot and Quizlet: a radio button is chosen, a checkbox ticked or unticked,
// and focus moves to it, so that a screen reader says which option it is and its state. Each
// option carries aria-keyshortcuts and shows its key; the hints stay hidden without this
// script, when the keys would do nothing. Keys typed in a text field, or with Ctrl, Alt or
// Meta held, are left alone.
(function () {
  "use strict";
  var fieldset = document.querySelector("form[data-answer-form] [data-key-options]");
  if (!fieldset) {
    return;
  }
  var inputs = fieldset.querySelectorAll("input[type=radio], input[type=checkbox]");
  if (!inputs.length) {
    return;
  }
  Array.prototype.forEach.call(inputs, function (input, index) {
    if (index < 9) {
      input.setAttribute("aria-keyshortcuts", String(index + 1));
    }
  });
  Array.prototype.forEach.call(fieldset.querySelectorAll("kbd.key, .key-hint"), function (hint) {
    hint.hidden = false;
  });

  function typing(target) {
    if (!target || !target.tagName) {
      return false;
    }
    if (target.isContentEditable) {
      return true;
    }
    var tag = target.tagName.toLowerCase();
    if (tag === "textarea" || tag === "select") {
      return true;
    }
    if (tag !== "input") {
      return false;
    }
    var type = (target.getAttribute("type") || "text").toLowerCase();
    return ["radio", "checkbox", "button", "submit", "reset", "hidden"].indexOf(type) === -1;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) {
      return;
    }
    if (typing(event.target) || !/^[1-9]$/.test(event.key)) {
      return;
    }
    var input = inputs[parseInt(event.key, 10) - 1];
    if (!input || input.disabled) {
      return;
    }
    event.preventDefault();
    // click() sets the state as a pointer would, with the input and change events.
    if (input.type === "checkbox" || !input.checked) {
      input.click();
    }
    input.focus();
  });
})();
