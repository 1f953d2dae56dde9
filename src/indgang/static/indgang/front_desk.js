// The front desk's keyboard flow, call timer and summary templates (docs/architecture.md,
// "Front desk"). Plain script: the CSP allows scripts from files only, and htmx's event
// filters need eval, so the task choice is watched here.
(() => {
  "use strict";
  const form = document.querySelector("form.front-desk");
  if (!form) return;
  const outcomes = [...form.querySelectorAll("button[name=outcome]")];
  const summary = form.querySelector("#id_summary");
  const duration = form.querySelector("#id_duration_minutes");
  const clock = form.querySelector("#call-timer");
  const toggle = form.querySelector("#call-timer-toggle");
  const templates = form.querySelector("#summary-templates");

  // --- The call timer: runs from the first key or click in the form (a front desk left open
  // between calls would otherwise count the wait), or from Alt+0; fills the duration in whole
  // minutes, rounded up; typing a duration by hand stops it and keeps what was typed.
  let startedAt = null;
  let before = 0;
  let ticking = null;
  let touched = duration.value !== "";

  const elapsedSeconds = () =>
    Math.floor((before + (startedAt === null ? 0 : Date.now() - startedAt)) / 1000);

  const show = () => {
    const seconds = elapsedSeconds();
    const pad = (n) => String(n).padStart(2, "0");
    clock.textContent = `${pad(Math.floor(seconds / 60))}:${pad(seconds % 60)}`;
    if (!touched && (startedAt !== null || before > 0)) {
      duration.value = String(Math.max(1, Math.ceil(seconds / 60)));
    }
  };

  const label = (running) => {
    toggle.querySelector("span").textContent = running ? toggle.dataset.stop : toggle.dataset.start;
    // The label says what a press does; aria-pressed beside a changing label would mislead.
    toggle.dataset.running = String(running);
  };

  const start = () => {
    if (startedAt !== null) return;
    touched = false;
    startedAt = Date.now();
    ticking = window.setInterval(show, 1000);
    label(true);
    show();
  };

  const stop = () => {
    if (startedAt === null) return;
    before += Date.now() - startedAt;
    startedAt = null;
    window.clearInterval(ticking);
    label(false);
    show();
  };

  const toggleTimer = () => (startedAt === null ? start() : stop());
  toggle.addEventListener("click", toggleTimer);
  duration.addEventListener("input", (event) => {
    if (!event.isTrusted) return;
    touched = true;
    stop();
  });
  let begun = false;
  const begin = (event) => {
    // Alt+0 and the timer's own controls start it themselves.
    const own = event.target === toggle || event.target === duration;
    const modifier = ["Alt", "AltGraph", "Control", "Meta", "Shift"].includes(event.key);
    if (begun || own || modifier || (event.altKey && event.code === "Digit0")) return;
    begun = true;
    if (!touched) start();
  };
  form.addEventListener("keydown", begin, true);
  form.addEventListener("pointerdown", begin, true);
  form.addEventListener("submit", stop);
  label(false);

  // --- Summary templates: a task's templates load when the task is chosen (a radio picked, or
  // the first search hit checked as it arrives); Alt+Shift+digit or a click inserts one.
  let shownFor = null;
  const loadTemplates = () => {
    const chosen = form.querySelector("input[name=task]:checked, input[type=hidden][name=task]");
    const task = chosen ? chosen.value : "";
    if (task === shownFor) return;
    shownFor = task;
    if (!task) {
      templates.replaceChildren();
      return;
    }
    const url = `${templates.dataset.url}?${new URLSearchParams({ task })}`;
    window.htmx.ajax("GET", url, { target: templates, swap: "innerHTML" });
  };
  form.addEventListener("change", (event) => {
    if (event.target.name === "task") loadTemplates();
  });
  document.body.addEventListener("htmx:afterSettle", (event) => {
    if (event.target !== templates) loadTemplates();
  });

  const insert = (text) => {
    const value = summary.value;
    const focused = document.activeElement === summary;
    const at = focused ? summary.selectionStart : value.length;
    const end = focused ? summary.selectionEnd : value.length;
    const head = value.slice(0, at);
    const gap = head && !/\s$/.test(head) ? " " : "";
    summary.value = head + gap + text + value.slice(end);
    const caret = (head + gap + text).length;
    summary.focus();
    summary.setSelectionRange(caret, caret);
    // The triage panel refreshes on input, as when the text is typed.
    summary.dispatchEvent(new Event("input", { bubbles: true }));
  };
  templates.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-template]");
    if (button) insert(button.dataset.template);
  });

  // --- Keys.
  const fields = () =>
    [...form.querySelectorAll("input, select, textarea")].filter(
      (field) =>
        !field.disabled &&
        field.type !== "hidden" &&
        field.type !== "radio" &&
        field.type !== "checkbox" &&
        // Not in a closed <details>: checkVisibility sees its content-visibility.
        field.checkVisibility(),
    );

  const next = (field) => {
    const named = field.dataset.next && document.getElementById(field.dataset.next);
    if (named) return named;
    const all = fields();
    return all[all.indexOf(field) + 1] || null;
  };

  const digit = (event) => {
    const match = /^(?:Digit|Numpad)(\d)$/.exec(event.code);
    return match ? Number(match[1]) : null;
  };

  form.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit(outcomes[0]);
      return;
    }
    const number = event.altKey && !event.ctrlKey && !event.metaKey ? digit(event) : null;
    if (number !== null) {
      event.preventDefault();
      if (event.shiftKey) {
        const buttons = templates.querySelectorAll("button[data-template]");
        if (number >= 1 && number <= buttons.length) insert(buttons[number - 1].dataset.template);
      } else if (number === 0) {
        toggleTimer();
      } else if (number <= outcomes.length) {
        form.requestSubmit(outcomes[number - 1]);
      }
      return;
    }
    // Enter in a one-line field moves on instead of submitting the form with its first button.
    if (
      event.key === "Enter" &&
      !event.shiftKey &&
      !event.altKey &&
      target instanceof HTMLInputElement &&
      target.type !== "submit" &&
      target.type !== "button"
    ) {
      event.preventDefault();
      if (target.type === "search") target.dispatchEvent(new Event("search"));
      const to = next(target);
      if (to) to.focus();
    }
  });
})();
