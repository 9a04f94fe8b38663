// The searchable picker (core/picker.py): a combobox over server-rendered options, chips with
// hidden inputs for the chosen values. Keyboard: ↑/↓ move, Enter picks, Esc closes, Backspace
// in an empty box removes the last chip.
(() => {
  "use strict";

  function chip(name, value, label, removeLabel) {
    const span = document.createElement("span");
    span.className = "gx-chip";
    span.dataset.value = value;
    span.append(label);
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "gx-chip-remove";
    remove.dataset.pickerRemove = "";
    remove.setAttribute("aria-label", `${removeLabel} ${label}`);
    remove.textContent = "×";
    const hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = name;
    hidden.value = value;
    span.append(remove, hidden);
    return span;
  }

  function setup(root) {
    const input = root.querySelector("[data-picker-input]");
    const list = root.querySelector("[data-picker-list]");
    const chips = root.querySelector("[data-picker-chips]");
    const multiple = root.dataset.multiple === "1";
    const removeLabel = document.documentElement.dataset.labelRemove || "Remove";
    let timer = null;
    let seq = 0;
    let active = -1;
    let picking = false; // focus given back after a pick must not reopen the list

    const options = () => [...list.querySelectorAll("[role=option]")];

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      const all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      all.forEach((el, i) => {
        el.classList.toggle("active", i === active);
        el.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    async function search() {
      const mine = ++seq;
      const url = new URL(root.dataset.url, window.location.href);
      url.searchParams.set("q", input.value);
      if (root.dataset.within) url.searchParams.set("within", root.dataset.within);
      const response = await fetch(url, { credentials: "same-origin" });
      if (mine !== seq || !response.ok) return;
      list.innerHTML = await response.text();
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    // tell the form its value changed (an htmx preview listening for "change" refreshes)
    function changed() {
      input.dispatchEvent(new Event("change", { bubbles: true }));
      if (root.hasAttribute("data-autosubmit") && input.form) input.form.requestSubmit();
    }

    function choose(option) {
      const value = option.dataset.value;
      if (!multiple) chips.replaceChildren();
      if (!chips.querySelector(`[data-value="${CSS.escape(value)}"]`)) {
        chips.append(chip(root.dataset.name, value, option.dataset.label, removeLabel));
      }
      input.value = "";
      close();
      list.replaceChildren(); // the next search shows its own answer, never this one
      clearTimeout(timer); // a search still pending from the typing must not reopen the list
      seq += 1; // nor an answer still on its way
      picking = true;
      input.focus();
      picking = false;
      changed();
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("focus", () => {
      if (list.hidden && !picking) search();
    });
    input.addEventListener("blur", () => setTimeout(close, 150));
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) search();
        else highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter") {
        if (!list.hidden) event.preventDefault(); // never submit the form from an open list
        const all = options();
        if (active >= 0 && all[active]) choose(all[active]);
        else if (all.length === 1) choose(all[0]);
      } else if (event.key === "Escape") {
        close();
      } else if (event.key === "Backspace" && !input.value) {
        const last = chips.lastElementChild;
        if (last) {
          last.remove();
          changed();
        }
      }
    });
    list.addEventListener("mousedown", (event) => {
      const option = event.target.closest("[role=option]");
      if (option) {
        event.preventDefault();
        choose(option);
      }
    });
    chips.addEventListener("click", (event) => {
      const button = event.target.closest("[data-picker-remove]");
      if (!button) return;
      button.closest(".gx-chip").remove();
      input.focus();
      changed();
    });
  }

  function setupAll(scope) {
    scope.querySelectorAll("[data-picker]:not([data-picker-ready])").forEach((root) => {
      root.dataset.pickerReady = "";
      setup(root);
    });
  }

  document.addEventListener("DOMContentLoaded", () => setupAll(document));
  document.addEventListener("htmx:afterSwap", (event) => setupAll(event.target));
})();
