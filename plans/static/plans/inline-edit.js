// Keeps keyboard users in place after an in-place update, and says so when the
// server refuses a request htmx will not swap (403, 404, 500, network down).
(function () {
  "use strict";

  // Where the keyboard goes after a swap, first match wins: the field to fix, the
  // button that re-applies a refused change, the "saved" cue, the first field of a
  // form just opened, or the button that opens it again.
  var FOCUS_ORDER = [
    "[aria-invalid=true]",
    ".alert-warning ~ form button[type=submit]",
    ".saved-cue",
    "[role=status]",
    ".quick-update select, .quick-update input:not([type=hidden])",
    "td a.btn",
  ];

  document.addEventListener("htmx:afterSwap", function (event) {
    // An outerHTML swap replaces the target: find its successor by id.
    var root = event.detail.target && event.detail.target.id
      ? document.getElementById(event.detail.target.id)
      : null;
    // Only rows and the task body: filtering the list must leave focus in the filters.
    if (!root || !/^task-(\d+|body)$/.test(root.id)) return;
    // htmx takes over what it swapped in only when the swap settles (20 ms later): the
    // keyboard landing in the row now could send its form before that, as a whole-page
    // post (seen once under load in the keyboard test). Have htmx take it over first.
    if (window.htmx) window.htmx.process(root);
    var focusable = null;
    for (var i = 0; i < FOCUS_ORDER.length && !focusable; i++) {
      focusable = root.querySelector(FOCUS_ORDER[i]);
    }
    if (focusable) {
      if (!focusable.matches("input, select, textarea, button")) {
        focusable.setAttribute("tabindex", "-1");
      }
      focusable.focus();
    }
  });

  // Escape closes an open in-row form as its Cancel link does (and the focus goes back
  // to the row's Update button). Enter while a Korean IME is still composing commits the
  // syllable and must not send the form: the second Enter sends it, once.
  document.addEventListener("keydown", function (event) {
    var form = event.target.closest && event.target.closest(".quick-update form");
    if (!form) return;
    var composing = event.isComposing || event.keyCode === 229;
    if (event.key === "Escape" && !composing) {
      var cancel = form.querySelector("a[hx-get*='close=1']");
      if (cancel && window.htmx) {
        event.preventDefault();
        // Asked of htmx directly: a click on the link could come before htmx has taken
        // the freshly swapped-in link over, and would then load the whole page.
        window.htmx.ajax("GET", cancel.getAttribute("hx-get"), {
          target: cancel.getAttribute("hx-target"),
          swap: cancel.getAttribute("hx-swap") || "outerHTML",
        });
      }
    } else if (event.key === "Enter" && composing) {
      event.preventDefault();
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    var texts = messages();
    var message = status === 403 ? texts.forbidden
      : status === 404 ? texts.notFound
      : texts.error;
    showError(message || "Error " + status);
  });
  document.addEventListener("htmx:sendError", function () {
    showError(messages().offline || "Offline");
  });

  function messages() {
    var holder = document.getElementById("inline-edit-messages");
    return holder ? holder.dataset : {};
  }

  function showError(text) {
    var main = document.getElementById("main");
    var box = document.getElementById("htmx-error");
    if (!box) {
      box = document.createElement("p");
      box.id = "htmx-error";
      box.className = "alert alert-error";
      box.setAttribute("role", "alert");
      main.insertBefore(box, main.firstChild);
    }
    box.textContent = text;
  }
})();
