// Progressive enhancement only: the live game's pages work without this script (they reload
// themselves from a <noscript> refresh and post plain forms).
// With it: the page follows the game's Server-Sent Events (EventSource reconnects by itself and
// resumes after the last event id), swaps its stage in place when the game changes, counts the
// question's seconds down, and sends answers without leaving the page.
(function () {
  "use strict";
  var stage = document.getElementById("live-stage");
  if (!stage || !window.fetch) {
    return;
  }
  var stageUrl = stage.getAttribute("data-live-stage");
  var eventsUrl = stage.getAttribute("data-live-events");
  var loading = false;
  var again = false;
  var clock = null;

  function countdown() {
    if (clock) {
      window.clearInterval(clock);
      clock = null;
    }
    var counters = stage.querySelectorAll("[data-countdown]");
    if (!counters.length) {
      return;
    }
    var ends = Date.now() + parseInt(counters[0].getAttribute("data-countdown"), 10) * 1000;
    clock = window.setInterval(function () {
      var left = Math.max(0, Math.ceil((ends - Date.now()) / 1000));
      for (var i = 0; i < counters.length; i += 1) {
        counters[i].textContent = String(left);
      }
      if (left === 0) {
        window.clearInterval(clock);
        clock = null;
      }
    }, 250);
  }

  function show(html) {
    stage.innerHTML = html;
    countdown();
  }

  function refresh() {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    fetch(stageUrl, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html !== null) {
          show(html);
        }
      })
      .catch(function () {})
      .then(function () {
        loading = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  }

  // An answer: posted in the background; the reply (the game page after the redirect) brings
  // the new stage and the message about the answer.
  stage.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-live-answer")) {
      return;
    }
    event.preventDefault();
    var data = new FormData(form);
    if (event.submitter && event.submitter.name) {
      data.append(event.submitter.name, event.submitter.value);
    }
    var buttons = form.querySelectorAll("button");
    for (var i = 0; i < buttons.length; i += 1) {
      buttons[i].disabled = true;
    }
    // X-Live-Stage: the reply is the new stage itself, with what became of the answer.
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Live-Stage": "1" }
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        show(html);
      })
      .catch(function () {
        form.submit();
      });
  });

  countdown();
  if (!window.EventSource || !eventsUrl) {
    window.setInterval(refresh, 3000);
    return;
  }
  var source = new EventSource(eventsUrl);
  // The events this page changes with (a player's page not with every other player joining).
  var kinds = (stage.getAttribute("data-live-kinds") || "").split(" ");
  // A question is fetched at once; the other changes (answers shown, leaderboard, end) a
  // moment later at random within SPREAD_MS, so that a class's phones do not all ask the
  // server in the same instant.
  var SPREAD_MS = stage.hasAttribute("data-live-spread") ? 1000 : 0;
  // Phases whose view this page already shows (a phone shows its rank with the answer).
  var ignored = (stage.getAttribute("data-live-ignore") || "").split(" ");
  for (var k = 0; k < kinds.length; k += 1) {
    source.addEventListener(kinds[k], function (event) {
      var data = {};
      try {
        data = JSON.parse(event.data);
      } catch (error) {
        data = {};
      }
      if (ignored.indexOf(data.phase) >= 0) {
        return;
      }
      var wait = data.phase === "question" ? 0 : Math.random() * SPREAD_MS;
      window.setTimeout(refresh, wait);
      if (event.type === "end") {
        source.close();
      }
    });
  }
  source.addEventListener("answered", function (event) {
    var data = JSON.parse(event.data);
    var phase = stage.querySelector(".stage");
    if (phase && phase.getAttribute("data-phase") === "question") {
      refresh();
    }
    return data;
  });
})();
