// Progressive enhancement only: every page works without this script.
// A timed question counts its remaining time down once a second.
(function () {
  "use strict";
  var deadline = document.querySelector("[data-seconds-left]");
  if (!deadline) {
    return;
  }
  var clock = deadline.querySelector(".clock");
  var left = parseInt(deadline.getAttribute("data-seconds-left"), 10);
  var ends = Date.now() + left * 1000;
  function pad(number) {
    return number < 10 ? "0" + number : String(number);
  }
  function tick() {
    var seconds = Math.max(0, Math.round((ends - Date.now()) / 1000));
    clock.textContent = Math.floor(seconds / 60) + " min " + pad(seconds % 60) + " s";
    if (seconds > 0) {
      window.setTimeout(tick, 1000);
    } else {
      deadline.classList.add("expired");
    }
  }
  tick();
})();
