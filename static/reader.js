// The reader's fact panel in place (progressive enhancement: without this script each fact's
// number is a link that loads the page with the panel open under its passage). A click on a
// number, or on marked words, fetches that same page, takes its panel and puts it under the
// passage; any failure falls back to following the link.
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser || !document.querySelector(".document.reader")) {
    return;
  }
  document.documentElement.classList.add("reader-js");

  function facts(mark) {
    return (mark.getAttribute("data-facts") || "").split(" ");
  }

  function showSelected(id) {
    document.querySelectorAll("mark.evidence").forEach(function (mark) {
      mark.classList.toggle("selected", id !== null && facts(mark).indexOf(id) >= 0);
    });
    document.querySelectorAll("a.fact-ref").forEach(function (ref) {
      if (id !== null && ref.getAttribute("data-fact") === id) {
        ref.setAttribute("aria-current", "true");
      } else {
        ref.removeAttribute("aria-current");
      }
    });
  }

  function open(link) {
    var url = link.href;
    window.fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) {
        throw new Error("panel refused");
      }
      return response.text();
    }).then(function (text) {
      var page = new window.DOMParser().parseFromString(text, "text/html");
      var panel = page.getElementById("fact-panel");
      var passage = link.closest("[data-passage]");
      if (!panel || !passage) {
        throw new Error("no panel");
      }
      var old = document.getElementById("fact-panel");
      if (old) {
        old.remove();
      }
      passage.appendChild(document.adoptNode(panel));
      showSelected(link.getAttribute("data-fact"));
      window.history.replaceState(null, "", url);
      panel.focus();
    }).catch(function () {
      window.location.href = url;
    });
  }

  function close(link) {
    var panel = document.getElementById("fact-panel");
    var id = panel && document.querySelector("a.fact-ref[aria-current]");
    if (panel) {
      panel.remove();
    }
    showSelected(null);
    window.history.replaceState(null, "", link.href);
    if (id) {
      id.focus();
    }
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    var target = event.target;
    var ref = target.closest("a.fact-ref");
    if (ref) {
      event.preventDefault();
      open(ref);
      return;
    }
    var closing = target.closest("a.close-panel");
    if (closing) {
      event.preventDefault();
      close(closing);
      return;
    }
    var mark = target.closest("mark.evidence");
    // Marked words open their (innermost) fact, unless the reader is selecting text.
    if (mark && !String(window.getSelection ? window.getSelection() : "")) {
      var first = document.querySelector('a.fact-ref[data-fact="' + facts(mark)[0] + '"]');
      if (first) {
        open(first);
      }
    }
  });
})();
