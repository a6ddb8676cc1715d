/* taperprep: small progressive enhancements. Everything works without this file; it adds autosave of the draft to this
   browser, add/remove rows without a round trip, live character counts, the voice switch and Print. No dependencies. */
(function () {
  "use strict";

  var DRAFT_KEY = "taperprep-draft-v1";
  var ROW_FIELD = /^(meds|attempts|plan|progress)-(\d+|__i__)-/;
  var REMOVE = { meds: "remove-medication-", attempts: "remove-attempt-", plan: "remove-plan-step-", progress: "remove-progress-step-" };

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  /* ---- Rows ---- */
  function rowBox(kind) { return document.querySelector('[data-rows="' + kind + '"]'); }

  function renumber(kind) {
    var box = rowBox(kind);
    if (!box) { return; }
    var rows = box.querySelectorAll('[data-row="' + kind + '"]');
    rows.forEach(function (row, index) {
      row.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
        ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) { el.setAttribute(attr, value.replace(new RegExp("\\b" + kind + "-(\\d+|__i__)-", "g"), kind + "-" + index + "-")); }
        });
      });
      row.querySelectorAll("[data-row-number]").forEach(function (el) { el.textContent = String(index + 1); });
      var remove = row.querySelector("[data-remove-row]");
      if (remove) {
        remove.value = REMOVE[kind] + (index + 1);
        remove.hidden = kind === "meds" && rows.length === 1;
      }
    });
    var add = document.querySelector('[data-add-row="' + kind + '"]');
    if (add) { add.hidden = rows.length >= Number(box.getAttribute("data-max")); }
  }

  function addRow(kind) {
    var template = document.getElementById(kind + "-template");
    var box = rowBox(kind);
    if (!template || !box) { return null; }
    var row = template.content.firstElementChild.cloneNode(true);
    box.appendChild(row);
    renumber(kind);
    setUpCounts(row);
    return row;
  }

  function onRowButton(event) {
    var button = event.target.closest("[data-add-row], [data-remove-row]");
    if (!button) { return; }
    event.preventDefault();
    if (button.hasAttribute("data-add-row")) {
      var kind = button.getAttribute("data-add-row");
      var row = addRow(kind);
      if (row) { row.querySelector("input, select, textarea").focus(); }
    } else {
      var current = button.closest("[data-row]");
      var rowKind = current.getAttribute("data-row");
      var heading = document.getElementById("step-title");
      current.remove();
      renumber(rowKind);
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
    }
    var form = formOf();
    var store = storage();
    if (form && store && revisionField(form)) { touch(form, store); }
  }

  /* ---- Character counts ---- */
  function updateCount(group) {
    var field = group.querySelector("textarea");
    var message = group.querySelector("[data-count-message]");
    var limit = Number(group.getAttribute("data-maxlength"));
    if (!field || !message || !limit) { return; }
    var left = limit - field.value.length;
    /* The words come from the page, in its language: data-remaining-one="You have {n} character remaining"… */
    var count = Math.abs(left);
    var words = message.getAttribute("data-" + (left >= 0 ? "remaining" : "over") + "-" + (count === 1 ? "one" : "other"));
    message.textContent = words.replace("{n}", String(count));
    message.classList.toggle("character-count--over", left < 0);
  }

  function setUpCounts(root) {
    root.querySelectorAll("[data-character-count]").forEach(function (group) {
      var message = group.querySelector("[data-count-message]");
      if (message) { message.setAttribute("aria-live", "polite"); }
      updateCount(group);
    });
  }

  /* ---- Voice ---- */
  function updateVoice(form) {
    var caregiver = form.querySelector('input[name="prepared_by"][value="caregiver"]');
    var on = Boolean(caregiver && caregiver.checked);
    form.classList.toggle("voice-caregiver", on);
    form.classList.toggle("voice-patient", !on);
  }

  /* ---- Draft in this browser ----
     The draft carries a revision (a millisecond clock). It only moves forward: a page older than the draft (Back to an
     earlier step, a page reloaded after more typing) takes the draft's answers; a newer page replaces the draft. */
  var UNDO_KEY = "taperprep-draft-forgotten";
  var PAGE_FIELDS = { form: true, step: true, rev: true, "return": true };

  function formOf() { return document.getElementById("story-form"); }

  function collect(form) {
    var fields = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.type === "submit" || el.type === "button" || PAGE_FIELDS[el.name]) { return; }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
      fields.push([el.name, el.value]);
    });
    return fields;
  }

  function revisionField(form) { return form.querySelector("[data-revision-field]"); }

  function readDraft(store) {
    try {
      var draft = JSON.parse(store.getItem(DRAFT_KEY));
      return draft && Array.isArray(draft.fields) && typeof draft.rev === "number" ? draft : null;
    } catch (e) { return null; }
  }

  function writeDraft(form, store) {
    try {
      store.setItem(DRAFT_KEY, JSON.stringify({ rev: Number(revisionField(form).value), fields: collect(form) }));
    } catch (e) { /* full or blocked: the form still works */ }
  }

  /* Typing makes a newer revision: never less than one more than the page's own. */
  function touch(form, store) {
    var field = revisionField(form);
    field.value = String(Math.max(Date.now(), Number(field.value) + 1));
    writeDraft(form, store);
  }

  function visibleControl(form, name) {
    return Array.prototype.some.call(form.querySelectorAll('[name="' + name.replace(/"/g, "") + '"]'), function (el) {
      return el.type !== "hidden";
    });
  }

  function restoreDraft(form, draft) {
    var counts = { meds: 0, attempts: 0, plan: 0, progress: 0 };
    draft.fields.forEach(function (pair) {
      var match = ROW_FIELD.exec(pair[0]);
      if (match) { counts[match[1]] = Math.max(counts[match[1]], Number(match[2]) + 1); }
    });
    Object.keys(REMOVE).forEach(function (kind) {
      var box = rowBox(kind);
      if (!box) { return; }
      var max = Number(box.getAttribute("data-max"));
      while (box.querySelectorAll('[data-row="' + kind + '"]').length < Math.min(counts[kind], max)) { addRow(kind); }
    });
    var carried = form.querySelector("[data-carried]");
    carried.textContent = "";
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.type === "checkbox" || el.type === "radio") { el.checked = false; }
      else if ((el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && el.type !== "hidden" && el.type !== "file"))) { el.value = ""; }
    });
    draft.fields.forEach(function (pair) {
      if (!visibleControl(form, pair[0])) {
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = pair[0];
        hidden.value = pair[1];
        carried.appendChild(hidden);
        return;
      }
      form.querySelectorAll('[name="' + pair[0].replace(/"/g, "") + '"]').forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") {
          if (el.value === pair[1]) { el.checked = true; }
        } else if (el.tagName === "SELECT" || el.tagName === "TEXTAREA" || el.tagName === "INPUT") {
          el.value = pair[1];
        }
      });
    });
    revisionField(form).value = String(draft.rev);
  }

  function setUpForget(form, store, bar, status) {
    var ask = bar.querySelector("[data-forget-draft]");
    var confirmBox = bar.querySelector("[data-forget-confirm]");
    var undoBox = bar.querySelector("[data-forget-undo]");
    ask.addEventListener("click", function () {
      confirmBox.hidden = false;
      ask.setAttribute("aria-expanded", "true");
      bar.querySelector("[data-forget-yes]").focus();
    });
    bar.querySelector("[data-forget-no]").addEventListener("click", function () {
      confirmBox.hidden = true;
      ask.setAttribute("aria-expanded", "false");
      ask.focus();
    });
    bar.querySelector("[data-forget-yes]").addEventListener("click", function () {
      var draft = store.getItem(DRAFT_KEY);
      if (draft) { store.setItem(UNDO_KEY, draft); }
      store.removeItem(DRAFT_KEY);
      window.location.assign("/prepare#forgotten");
    });
    if (window.location.hash === "#forgotten" && store.getItem(UNDO_KEY)) {
      undoBox.hidden = false;
      status.textContent = "";
      bar.querySelector("[data-undo-forget]").addEventListener("click", function () {
        store.setItem(DRAFT_KEY, store.getItem(UNDO_KEY));
        store.removeItem(UNDO_KEY);
        window.location.assign("/prepare");
      });
    }
  }

  function setUpDraft(form) {
    var store = storage();
    var bar = document.querySelector("[data-draft-bar]");
    if (!store || !bar) { return; }
    var status = bar.querySelector("[data-draft-status]");
    var draft = readDraft(store);
    var forgotten = window.location.hash === "#forgotten";
    if (!forgotten && draft && draft.rev > Number(revisionField(form).value)) {
      restoreDraft(form, draft);
      status.textContent = status.getAttribute("data-restored");
    }
    bar.hidden = false;
    if (!forgotten || !store.getItem(UNDO_KEY)) { writeDraft(form, store); }
    form.addEventListener("input", function () { touch(form, store); });
    form.addEventListener("change", function () { touch(form, store); });
    setUpForget(form, store, bar, status);
  }

  function setUpForm(form) {
    form.addEventListener("click", onRowButton);
    form.addEventListener("input", function (event) {
      var group = event.target.closest("[data-character-count]");
      if (group) { updateCount(group); }
    });
    form.addEventListener("change", function (event) {
      if (event.target.name === "prepared_by") { updateVoice(form); }
    });
    setUpCounts(form);
    setUpDraft(form);
    ["meds", "attempts"].forEach(renumber);
    updateVoice(form);
    setUpCounts(form);
  }

  /* ---- Preview: copy the pre-visit message, print the packet itself, and size the frame to it ---- */
  function setUpCopy() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      var status = document.querySelector("[data-copy-status]");
      if (!source) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        source.select();
        var done = function () { if (status) { status.textContent = status.getAttribute("data-copied"); } };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(source.value).then(done, function () { document.execCommand("copy"); done(); });
        } else {
          document.execCommand("copy");
          done();
        }
      });
    });
  }

  function setUpPreview() {
    var frame = document.querySelector("[data-packet-frame]");
    setUpCopy();
    var print = document.querySelector("[data-print]");
    if (!frame || !print) { return; }
    print.hidden = false;
    var fallback = document.querySelector("[data-print-fallback]");
    if (fallback) { fallback.hidden = true; }
    print.addEventListener("click", function () { frame.contentWindow.print(); });
    function fit() {
      try { frame.style.height = frame.contentDocument.documentElement.scrollHeight + 24 + "px"; } catch (e) { /* keep the CSS height */ }
    }
    frame.addEventListener("load", fit);
    window.addEventListener("resize", fit);
    fit();
  }

  /* A file over the limit is refused before it is sent, so nothing typed on the page is lost. */
  function onSubmit(event) {
    var submitter = event.submitter;
    var input = event.target.querySelector("input[type=file][data-max-bytes]");
    if (!submitter || submitter.value !== "open" || !input || !input.files.length) { return; }
    if (input.files[0].size <= Number(input.getAttribute("data-max-bytes"))) { return; }
    event.preventDefault();
    var message = event.target.querySelector("[data-size-error]");
    message.hidden = false;
    message.closest(".form-group").classList.add("form-group--error");
    input.setAttribute("aria-describedby", (input.getAttribute("aria-describedby") || "") + " " + message.id);
    input.focus();
  }

  function start() {
    document.addEventListener("submit", onSubmit);
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
    var form = formOf();
    if (form) { setUpForm(form); }
    setUpPreview();
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
