// The case study's admin form, enhanced. Without this script the form works the same: its
// workflow buttons save before they move the entry, and a new list row starts at the next
// number. With it, rows added after the first also get the next number, and leaving the page
// with changes not saved (a link, closing the tab) asks first.

const form = document.getElementById("casestudy_form");

if (form) {
  // "Add another" in a list: the new row's position is one after the list's highest.
  document.addEventListener("formset:added", (event) => {
    const prefix = event.detail && event.detail.formsetName;
    const order = event.target.querySelector("input[name$='-order']");
    if (!prefix || !order) {
      return;
    }
    const group = document.getElementById(`${prefix}-group`);
    const numbers = Array.from(group.querySelectorAll("input[name$='-order']"))
      .filter((input) => input !== order && !input.name.includes("__prefix__"))
      .map((input) => Number.parseInt(input.value, 10))
      .filter(Number.isFinite);
    order.value = String(Math.max(0, ...numbers) + 1);
  });

  let changed = false;
  let submitting = false;
  form.addEventListener("input", () => {
    changed = true;
  });
  form.addEventListener("change", () => {
    changed = true;
  });
  form.addEventListener("submit", () => {
    submitting = true;
  });
  window.addEventListener("beforeunload", (event) => {
    if (changed && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
}
