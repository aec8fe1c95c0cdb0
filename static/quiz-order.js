// Ordering questions as a list to reorder (progressive enhancement; without this script the
// learner chooses the event for each position in a select). The events are shown in a list
// that can be reordered by dragging (mouse: the whole row; touch and pen: the handle) or with
// each row's Move up / Move down buttons, which keep focus so that they can be pressed again;
// every move is announced in a live region ("… now at position 2 of 4"). The selects stay in
// the form, hidden, and are set from the list after every move: they are what is sent.
(function () {
  "use strict";
  var fieldset = document.querySelector("form[data-answer-form] [data-order]");
  if (!fieldset) {
    return;
  }
  var selects = fieldset.querySelectorAll("select[name^=place_]");
  var original = fieldset.querySelector("ol.order");
  if (!selects.length || !original) {
    return;
  }
  var labels = {};
  Array.prototype.forEach.call(selects[0].options, function (option) {
    if (option.value !== "") {
      labels[option.value] = option.text;
    }
  });
  var values = Object.keys(labels);
  // A full order already chosen (the page shown again with a message) is kept.
  var chosen = Array.prototype.map.call(selects, function (select) { return select.value; });
  var complete = chosen.every(function (value, index) {
    return value !== "" && chosen.indexOf(value) === index;
  }) && chosen.length === values.length;
  var order = complete ? chosen : values;

  function text(name, label, position) {
    return (fieldset.getAttribute("data-" + name) || "")
      .replace("{label}", label)
      .replace("{position}", String(position))
      .replace("{total}", String(values.length));
  }

  var live = document.createElement("p");
  live.className = "visually-hidden";
  live.setAttribute("role", "status");
  var list = document.createElement("ol");
  list.className = "sortable";
  var hint = fieldset.querySelector(".order-hint-list");
  if (hint) {
    hint.id = hint.id || "order-hint";
    list.setAttribute("aria-describedby", hint.id);
  }

  function button(kind, labelId) {
    var control = document.createElement("button");
    control.type = "button";
    control.className = "move " + kind;
    control.setAttribute("aria-describedby", labelId);
    var icon = document.createElement("span");
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = kind === "up" ? "↑" : "↓";
    var words = document.createElement("span");
    words.className = "visually-hidden";
    words.textContent = fieldset.getAttribute(kind === "up" ? "data-move-up" : "data-move-down");
    control.appendChild(icon);
    control.appendChild(words);
    return control;
  }

  order.forEach(function (value) {
    var row = document.createElement("li");
    row.className = "sortable-item";
    row.setAttribute("data-value", value);
    var grip = document.createElement("span");
    grip.className = "grip";
    grip.setAttribute("aria-hidden", "true");
    grip.textContent = "⠿";
    var label = document.createElement("span");
    label.className = "label";
    label.id = "order-item-" + value;
    label.textContent = labels[value];
    var moves = document.createElement("span");
    moves.className = "moves";
    moves.appendChild(button("up", label.id));
    moves.appendChild(button("down", label.id));
    row.appendChild(grip);
    row.appendChild(label);
    row.appendChild(moves);
    list.appendChild(row);
  });

  function rows() {
    return Array.prototype.slice.call(list.children);
  }

  function sync() {
    rows().forEach(function (row, index) {
      selects[index].value = row.getAttribute("data-value");
      row.querySelector(".move.up").setAttribute("aria-disabled", index === 0 ? "true" : "false");
      row.querySelector(".move.down").setAttribute(
        "aria-disabled", index === values.length - 1 ? "true" : "false");
    });
  }

  function announce(row) {
    var index = rows().indexOf(row);
    live.textContent = text("moved", labels[row.getAttribute("data-value")], index + 1);
  }

  list.addEventListener("click", function (event) {
    var control = event.target.closest ? event.target.closest("button.move") : null;
    if (!control) {
      return;
    }
    var row = control.closest("li");
    var label = labels[row.getAttribute("data-value")];
    if (control.classList.contains("up")) {
      if (!row.previousElementSibling) {
        live.textContent = text("at-top", label, 1);
        return;
      }
      list.insertBefore(row, row.previousElementSibling);
    } else {
      if (!row.nextElementSibling) {
        live.textContent = text("at-bottom", label, values.length);
        return;
      }
      list.insertBefore(row.nextElementSibling, row);
    }
    sync();
    control.focus();  // moving the row in the page took the focus away from it
    announce(row);
  });

  // Dragging with pointer events (mouse, touch and pen alike; HTML drag and drop has no touch).
  var dragged = null;
  list.addEventListener("pointerdown", function (event) {
    var row = event.target.closest ? event.target.closest("li.sortable-item") : null;
    if (!row || event.target.closest("button") || event.button !== 0) {
      return;
    }
    if (event.pointerType !== "mouse" && !event.target.closest(".grip")) {
      return;  // on a touch screen only the handle drags, so that the page still scrolls
    }
    event.preventDefault();
    dragged = row;
    row.classList.add("dragging");
    if (row.setPointerCapture) {
      row.setPointerCapture(event.pointerId);
    }
  });
  list.addEventListener("pointermove", function (event) {
    if (!dragged) {
      return;
    }
    var before = null;
    rows().some(function (row) {
      if (row === dragged) {
        return false;
      }
      var box = row.getBoundingClientRect();
      if (event.clientY < box.top + box.height / 2) {
        before = row;
        return true;
      }
      return false;
    });
    if (before !== dragged.nextElementSibling) {
      list.insertBefore(dragged, before);
    }
  });
  function drop() {
    if (!dragged) {
      return;
    }
    var row = dragged;
    dragged = null;
    row.classList.remove("dragging");
    sync();
    announce(row);
  }
  list.addEventListener("pointerup", drop);
  list.addEventListener("pointercancel", drop);

  original.hidden = true;
  var selectsHint = fieldset.querySelector(".order-hint-selects");
  if (selectsHint) {
    selectsHint.hidden = true;
  }
  if (hint) {
    hint.hidden = false;
  }
  original.parentNode.insertBefore(list, original);
  fieldset.appendChild(live);
  sync();
})();
