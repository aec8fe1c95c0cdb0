// "Flag for review" without reloading the page (progressive enhancement: without this script
// the form posts and the page comes back with the flag changed). The server answers JSON: the
// button's state, the form's next value, the grid cell and the spoken status follow it. Any
// failure falls back to the plain form post, which the server answers as it would anyway.
(function () {
  "use strict";
  var form = document.querySelector("form[data-flag-form]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var button = form.querySelector("button");
  var field = form.querySelector("input[name=flagged]");
  var status = form.querySelector(".flag-state");

  function show(flagged, position, message) {
    button.setAttribute("aria-pressed", flagged ? "true" : "false");
    field.value = flagged ? "0" : "1";
    status.textContent = message;
    var cell = document.querySelector('.question-grid a[data-position="' + position + '"]');
    if (cell) {
      cell.classList.toggle("flagged", flagged);
      cell.setAttribute("aria-label", cell.getAttribute(flagged ? "data-flagged-name" : "data-name"));
      var corner = cell.querySelector(".corner-flag");
      if (corner) {
        corner.hidden = !flagged;
      }
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    window.fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("flag refused");
      }
      return response.json();
    }).then(function (data) {
      button.disabled = false;
      show(Boolean(data.flagged), data.position, data.message);
      button.focus();
    }).catch(function () {
      button.disabled = false;
      form.submit();  // the plain post: the server redirects and says what happened
    });
  });
})();
