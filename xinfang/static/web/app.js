/* Xinfang pages: small behaviours on top of Bootstrap and htmx. No inline scripts, so a
   strict Content-Security-Policy can be used. */
(function () {
  "use strict";

  // ---- register form ------------------------------------------------------------
  function registerForm() { return document.getElementById("register-form"); }

  function currentChannel(form) {
    var checked = form.querySelector("input[name=channel]:checked");
    return checked ? checked.value : "";
  }

  function rowCount(form) { return form.querySelectorAll("#petitioner-rows tr.petitioner-row").length; }

  function addRow(form, focus) {
    var template = document.getElementById("petitioner-empty");
    var total = form.querySelector("input[name=p-TOTAL_FORMS]");
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
    var body = form.querySelector("#petitioner-rows");
    body.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var row = body.lastElementChild;
    if (window.htmx) { htmx.process(row); }
    if (focus) { var first = row.querySelector("input"); if (first) { first.focus(); } }
    return row;
  }

  function syncChannel(form) {
    var channel = currentChannel(form);
    var visit = form.dataset.visit;
    form.querySelectorAll("[data-show-for]").forEach(function (el) {
      var show = el.dataset.showFor.split(" ").indexOf(channel) >= 0;
      el.hidden = !show;
    });
    if (channel === visit) {
      var min = parseInt(form.dataset.minVisitRows || "5", 10);
      while (rowCount(form) < min) { addRow(form, false); }
    }
  }

  // Who is accused is asked only of an accusation (检举控告).
  function syncKind(form) {
    var checked = form.querySelector("input[name='kind']:checked");
    var kind = checked ? checked.value : "";
    form.querySelectorAll("[data-show-kind]").forEach(function (el) { el.hidden = el.dataset.showKind !== kind; });
  }

  function syncCategory(form, changed) {
    var top = form.querySelector("#id_category_top");
    var child = form.querySelector("#id_category");
    if (!top || !child) { return; }
    if (changed === child && child.value) {
      var opt = child.selectedOptions[0];
      if (opt && opt.dataset.parent) { top.value = opt.dataset.parent; }
    }
    var parent = top.value;
    Array.prototype.forEach.call(child.options, function (option) {
      if (!option.value) { return; }
      var match = !parent || option.dataset.parent === parent;
      option.hidden = !match;
      option.disabled = !match;
    });
    if (child.selectedOptions[0] && child.selectedOptions[0].disabled) { child.value = ""; }
  }

  function syncRepresentatives(form) {
    var out = form.querySelector("#rep-count");
    if (!out) { return; }
    var n = form.querySelectorAll("input[name$=is_representative]:checked").length;
    out.textContent = n ? "已选代表 " + n + " 人（最多5人）" : "";
    out.classList.toggle("text-danger", n > 5);
  }

  function setMerge(form, number, title) {
    var input = form.querySelector("#id_case");
    var chip = form.querySelector("#merge-chip");
    input.value = number || "";
    if (chip) {
      chip.hidden = !number;
      var label = chip.querySelector("[data-merge-label]");
      if (label) { label.textContent = number ? number + (title ? "　" + title : "") : ""; }
    }
    document.querySelectorAll("[data-merge-case]").forEach(function (button) {
      var on = button.dataset.mergeCase === number;
      button.classList.toggle("btn-warning", on);
      button.classList.toggle("btn-outline-secondary", !on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? "已选择并入" : "作为重复信访并入";
    });
  }

  // Once the clerk edits a field marked wrong, take the mark away: the server checks again on submit.
  document.addEventListener("input", function (event) {
    var el = event.target;
    if (!el.classList || !el.classList.contains("is-invalid")) { return; }
    el.classList.remove("is-invalid");
    el.removeAttribute("aria-invalid");
    var message = document.getElementById(el.id + "_error");
    if (message) { message.hidden = true; }
  });

  document.addEventListener("change", function (event) {
    // The lead unit of an assignment cannot also assist.
    if (/-unit$/.test(event.target.name || "") && event.target.form) {
      var prefix = event.target.name.replace(/-unit$/, "");
      event.target.form.querySelectorAll("input[name='" + prefix + "-assisting']").forEach(function (box) {
        box.disabled = box.value === event.target.value;
        if (box.disabled) { box.checked = false; }
      });
    }
    if (event.target.classList && event.target.classList.contains("file-picker")) {
      var names = document.getElementById("attachments-names");
      var files = Array.prototype.map.call(event.target.files, function (f) { return f.name; });
      names.textContent = files.length ? "已选 " + files.length + " 个：" + files.join("、") : "未选择文件";
      names.classList.toggle("text-secondary", !files.length);
      names.title = files.join("\n");
    }
    var form = registerForm();
    if (!form || !form.contains(event.target)) { return; }
    if (event.target.name === "channel") { syncChannel(form); }
    if (event.target.name === "kind") { syncKind(form); }
    if (event.target.id === "id_category_top" || event.target.id === "id_category") { syncCategory(form, event.target); }
    if (/is_representative$/.test(event.target.name || "")) { syncRepresentatives(form); }
  });

  document.addEventListener("click", function (event) {
    var form = registerForm();
    var add = event.target.closest("[data-add-row]");
    if (add && form) { event.preventDefault(); addRow(form, true); return; }
    var merge = event.target.closest("[data-merge-case]");
    if (merge && form) {
      event.preventDefault();
      var number = merge.dataset.mergeCase;
      setMerge(form, form.querySelector("#id_case").value === number ? "" : number, merge.dataset.mergeTitle);
      return;
    }
    var close = event.target.closest("[data-close-panel]");
    var panel = document.getElementById("action-panel");
    if (close && panel && panel.contains(close)) {
      event.preventDefault();
      panel.innerHTML = "";
      document.querySelectorAll(".action-bar .btn-primary").forEach(function (b) {
        b.classList.replace("btn-primary", "btn-outline-primary");
      });
      return;
    }
    var opener = event.target.closest(".action-bar [data-action]");
    if (opener) {
      document.querySelectorAll(".action-bar [data-action]").forEach(function (b) {
        b.classList.toggle("btn-primary", b === opener);
        b.classList.toggle("btn-outline-primary", b !== opener);
      });
    }
    var cancel = event.target.closest("[data-merge-cancel]");
    if (cancel && form) { event.preventDefault(); setMerge(form, "", ""); }
  });

  // A window clerk presses Enter after each field: move on instead of submitting half a
  // form. Ctrl+Enter (or the button) submits. In the content textarea Enter is a newline.
  document.addEventListener("keydown", function (event) {
    var form = event.target.form;
    if (!form || !form.hasAttribute("data-enter-moves")) { return; }
    if (event.key !== "Enter" || event.isComposing) { return; }
    var el = event.target;
    if (event.ctrlKey || event.metaKey) { event.preventDefault(); form.requestSubmit(); return; }
    if (el.tagName === "TEXTAREA" || el.tagName === "BUTTON" || el.type === "submit" || el.type === "file") { return; }
    event.preventDefault();
    var groups = {};
    var fields = Array.prototype.filter.call(form.elements, function (f) {
      if (f.disabled || f.type === "hidden" || f.tabIndex < 0 || f.offsetParent === null || f.tagName === "FIELDSET") { return false; }
      if (f.type === "radio") {
        // One stop per radio group, as Tab does: the checked one, else the first.
        var checked = form.querySelector("input[type=radio][name='" + f.name + "']:checked");
        if (checked ? f !== checked : groups[f.name]) { return false; }
        groups[f.name] = true;
      }
      return true;
    });
    var at = fields.indexOf(el);
    var next = at >= 0 ? fields[at + 1] : fields.filter(function (f) {
      return el.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING;
    })[0];
    if (next) { next.focus(); if (next.select && next.type === "text") { next.select(); } }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var form = registerForm();
    if (form) {
      var invalid = form.querySelector(".is-invalid");
      if (invalid && !/^(INPUT|SELECT|TEXTAREA)$/.test(invalid.tagName)) { invalid = invalid.querySelector("input"); }
      if (invalid) { invalid.focus(); }
      syncChannel(form);
      syncKind(form);
      syncCategory(form, null);
      syncRepresentatives(form);
      var chosen = form.querySelector("#id_case").value;
      if (chosen) { setMerge(form, chosen, form.dataset.mergeTitle || ""); }
    }
  });

  // ---- htmx ------------------------------------------------------------------------
  // Filter forms send only the filters in use, so the address bar stays short and shareable.
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (event.detail.verb !== "get" || !elt || !elt.closest || !elt.closest("[data-drop-empty]")) { return; }
    var params = event.detail.parameters;
    var empty = [];
    params.forEach(function (value, key) { if (value === "") { empty.push(key); } });
    empty.forEach(function (key) { params.delete(key); });
  });

  // A partial request that ended on the login page means the session ran out: go there
  // instead of drawing the login form inside a panel.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    var login = document.body.dataset.loginUrl;
    if (login && xhr && xhr.responseURL && new URL(xhr.responseURL).pathname === login) {
      event.detail.shouldSwap = false;
      window.location.href = xhr.responseURL;
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : "";
    var text = status === 404 ? "找不到该事项或无权查看，请刷新页面。" : "操作未完成（服务器错误 " + status + "），请稍后重试。";
    showAlert(text);
  });

  document.addEventListener("htmx:sendError", function () {
    showAlert("无法连接服务器，请检查网络后重试。");
  });

  function showAlert(text) {
    var main = document.getElementById("main");
    if (!main) { return; }
    var box = document.createElement("div");
    box.className = "alert alert-danger alert-dismissible fade show";
    box.setAttribute("role", "alert");
    box.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("data-bs-dismiss", "alert");
    close.setAttribute("aria-label", "关闭");
    box.appendChild(close);
    main.insertBefore(box, main.firstChild);
    window.scrollTo({ top: 0, behavior: "smooth" });
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "candidates") {
      var form = registerForm();
      if (form) { setMerge(form, form.querySelector("#id_case").value, ""); }
    }
    if (target && target.id === "action-panel") {
      target.scrollIntoView({ block: "nearest", behavior: "smooth" });
      var first = target.querySelector("textarea, input:not([type=hidden]), select");
      if (first) { first.focus({ preventScroll: true }); }
    }
  });
})();
