// Progressive enhancement only: every page works without this script.
// A timed question counts its remaining time down once a second; at zero it submits the
// answer form with whatever is filled in and says so (the alert is announced by screen readers).
// Without this script, the page's own sentence says that unsent answers do not count.
(function () {
  "use strict";
  var deadline = document.querySelector("[data-seconds-left]");
  if (!deadline) {
    return;
  }
  var clock = deadline.querySelector(".clock");
  var rule = deadline.querySelector(".deadline-rule");
  var alert = deadline.querySelector(".time-up");
  var form = document.querySelector("form[data-answer-form]");
  var left = parseInt(deadline.getAttribute("data-seconds-left"), 10);
  var ends = Date.now() + left * 1000;
  if (rule && form) {
    rule.textContent = deadline.getAttribute("data-auto-message");
  }
  function pad(number) {
    return number < 10 ? "0" + number : String(number);
  }
  function submitNow() {
    if (alert) {
      alert.textContent = deadline.getAttribute("data-expired-message");
    }
    if (!form) {
      return;
    }
    // submit() reads the fields now; disabling them afterwards only stops further typing.
    form.submit();
    var fields = form.querySelectorAll("input, select, textarea, button");
    for (var i = 0; i < fields.length; i += 1) {
      fields[i].disabled = true;
    }
  }
  // The clock itself is not a live region (a screen reader would read it every second); the
  // announcer says the time left when a few landmarks are passed.
  var announcer = deadline.querySelector("[data-time-announcer]");
  var landmarks = [600, 300, 120, 60, 30, 10];
  var announced = null;
  function announce(seconds) {
    if (!announcer) {
      return;
    }
    for (var i = 0; i < landmarks.length; i += 1) {
      if (seconds <= landmarks[i] && seconds > landmarks[i] - 2 && announced !== landmarks[i]) {
        announced = landmarks[i];
        announcer.textContent = announcer.getAttribute("data-label") + " " + clock.textContent;
      }
    }
  }
  function tick() {
    var seconds = Math.max(0, Math.ceil((ends - Date.now()) / 1000));
    clock.textContent = Math.floor(seconds / 60) + " min " + pad(seconds % 60) + " s";
    announce(seconds);
    if (seconds > 0) {
      window.setTimeout(tick, Math.min(1000, Math.max(50, ends - Date.now())));
    } else {
      deadline.classList.add("expired");
      submitNow();
    }
  }
  tick();
})();

// The fact editor: show the chosen passage, and fill the evidence from a selection in it,
// with its exact character offsets.
(function () {
  "use strict";
  var editor = document.querySelector("[data-fact-editor]");
  if (!editor) {
    return;
  }
  var select = editor.querySelector("select[name=passage_id]");
  var evidence = editor.querySelector("textarea[name=evidence]");
  var start = editor.querySelector("input[name=evidence_start]");
  var end = editor.querySelector("input[name=evidence_end]");
  var passages = editor.querySelectorAll("[data-passage]");
  function show() {
    for (var i = 0; i < passages.length; i += 1) {
      passages[i].hidden = passages[i].getAttribute("data-passage") !== select.value;
    }
  }
  select.addEventListener("change", show);
  show();
  // The category suggestions follow the kind of answer chosen.
  var kind = editor.querySelector("select[name=kind]");
  var category = editor.querySelector("input[name=category]");
  if (kind && category) {
    kind.addEventListener("change", function () {
      category.setAttribute("list", "categories-" + kind.value);
    });
  }
  document.addEventListener("mouseup", function () {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return;
    }
    var range = selection.getRangeAt(0);
    for (var i = 0; i < passages.length; i += 1) {
      var passage = passages[i];
      if (!passage.hidden && passage.contains(range.startContainer) &&
          passage.contains(range.endContainer)) {
        var before = document.createRange();
        before.setStart(passage, 0);
        before.setEnd(range.startContainer, range.startOffset);
        var offset = before.toString().length;
        var text = range.toString();
        evidence.value = text;
        start.value = String(offset);
        end.value = String(offset + text.length);
      }
    }
  });
})();

// Start forms: show only the question types of the chosen language (without this script every
// language's types are shown, and only the chosen language's ticks count).
(function () {
  "use strict";
  var forms = document.querySelectorAll("[data-start-form]");
  Array.prototype.forEach.call(forms, function (form) {
    var select = form.querySelector("[data-language-select]");
    var sets = form.querySelectorAll("fieldset[data-language]");
    if (!select || sets.length < 2) {
      return;
    }
    function show() {
      Array.prototype.forEach.call(sets, function (set) {
        set.hidden = set.getAttribute("data-language") !== select.value;
      });
    }
    select.addEventListener("change", show);
    show();
  });
})();
