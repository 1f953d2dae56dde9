// Behaviour that would otherwise be inline: the CSP allows scripts from files only.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-submit-on-change")) {
    target.form?.submit();
  }
});

// Below 600 px a wide table scrolls sideways in its own box (indgang.css). Such a table takes the
// keyboard's focus, so that the arrow keys scroll it (WCAG 2.1.1; axe-core's
// scrollable-region-focusable); one that fits, or sits in a focusable .table-scroll, does not.
const focusScrollingTables = () => {
  for (const table of document.querySelectorAll("main table")) {
    if (table.closest(".table-scroll")) continue;
    if (table.scrollWidth > table.clientWidth) table.tabIndex = 0;
    else table.removeAttribute("tabindex");
  }
};
window.addEventListener("load", focusScrollingTables);
window.addEventListener("resize", focusScrollingTables);
document.addEventListener("htmx:afterSettle", focusScrollingTables);
