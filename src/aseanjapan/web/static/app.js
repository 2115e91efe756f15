// aj web: highlight the span a link lands on; keyboard review. Plain JavaScript, no build step.
"use strict";

function highlightTarget() {
  document.querySelectorAll("mark.targeted").forEach((m) => m.classList.remove("targeted"));
  const id = decodeURIComponent(location.hash.slice(1));
  if (!/^s-\d+-\d+$/.test(id)) return;
  const marks = document.querySelectorAll("mark." + id);
  marks.forEach((m) => m.classList.add("targeted"));
  if (marks.length) marks[0].scrollIntoView({ block: "center" });
}

window.addEventListener("hashchange", highlightTarget);
document.addEventListener("DOMContentLoaded", () => {
  highlightTarget();
  // On a phone the filters start folded, above the results.
  if (window.matchMedia("(max-width: 760px)").matches) {
    document.querySelectorAll("details.facet-box").forEach((d) => { d.open = false; });
  }
  if (document.getElementById("candidates")) setUpReview();
  loadFacets();
});

// A list's total and facet counts come after the rows: counting can take a while on a
// large knowledge base, and the rows should not wait for it.
async function loadFacets() {
  const box = document.querySelector("#facet-counts[data-src]");
  if (!box) return;
  box.setAttribute("aria-busy", "true");
  try {
    const response = await fetch(box.dataset.src, { headers: { Accept: "text/html" }, credentials: "same-origin" });
    if (!response.ok) return;
    box.innerHTML = await response.text(); // server-rendered, escaped by the templates
    const list = box.querySelector(".facet-list");
    const total = document.getElementById("total");
    if (list && total) total.textContent = list.dataset.totalText;
  } finally {
    box.removeAttribute("aria-busy");
  }
}

function setUpReview() {
  const status = document.getElementById("status");
  const items = () => Array.from(document.querySelectorAll("li.candidate"));
  const made = []; // change sets of the decisions made on this page, for u (undo)
  let current = 0;

  function select(i) {
    const list = items();
    if (!list.length) { status.textContent = "Nothing left to review in this document."; return; }
    current = Math.max(0, Math.min(i, list.length - 1));
    list.forEach((li, n) => li.classList.toggle("current", n === current));
    document.querySelectorAll("mark.current").forEach((m) => m.classList.remove("current"));
    const li = list[current];
    const span = li.dataset.span;
    if (span) {
      const marks = document.querySelectorAll("mark." + span);
      marks.forEach((m) => m.classList.add("current"));
      if (marks.length) marks[0].scrollIntoView({ block: "nearest" });
    }
    li.scrollIntoView({ block: "nearest" });
  }

  async function decide(form) {
    const li = form.closest("li.candidate");
    status.textContent = "Saving…";
    let answer;
    try {
      const response = await fetch(form.action, {
        method: "POST", body: new FormData(form), headers: { Accept: "application/json" }, credentials: "same-origin",
      });
      answer = await response.json();
      if (!response.ok) { status.textContent = "Not saved: " + (answer.error || response.status); return; }
    } catch (e) {
      status.textContent = "Not saved: " + e;
      return;
    }
    status.textContent = answer.message;
    if (answer.change_set) made.push(answer.change_set);
    const span = li.dataset.span;
    if (span) document.querySelectorAll("mark." + span).forEach((m) => m.classList.add("decided"));
    const index = items().indexOf(li);
    li.remove();
    select(index);
  }

  // Undo the page's last decision, then show the document as it now is.
  async function undoLast() {
    const form = document.getElementById("undo-form");
    if (!made.length || !form) { status.textContent = "No decision of this page to undo (see this session's decisions)."; return; }
    form.elements.change_set.value = made.pop();
    status.textContent = "Undoing…";
    const response = await fetch(form.action, {
      method: "POST", body: new FormData(form), headers: { Accept: "application/json" }, credentials: "same-origin",
    });
    const answer = await response.json();
    if (!response.ok) { status.textContent = "Not undone: " + (answer.error || response.status); return; }
    location.assign(location.pathname + "?done=" + encodeURIComponent(answer.message));
  }

  // Words selected in one paragraph of the text: offered as a quote to record (W3C
  // TextQuoteSelector shape: the exact words and a little context either side).
  const quoteForm = document.getElementById("quote-form");
  if (quoteForm) {
    document.getElementById("text").addEventListener("mouseup", () => {
      const selection = window.getSelection();
      if (!selection || selection.isCollapsed) return;
      const range = selection.getRangeAt(0);
      const para = range.startContainer.parentElement && range.startContainer.parentElement.closest(".para");
      const endPara = range.endContainer.parentElement && range.endContainer.parentElement.closest(".para");
      if (!para || para !== endPara) { status.textContent = "Select words within one paragraph."; return; }
      const p = para.querySelector("p");
      const before = document.createRange();
      before.setStart(p, 0);
      before.setEnd(range.startContainer, range.startOffset);
      const whole = p.textContent;
      const exact = range.toString();
      const at = before.toString().length;
      quoteForm.elements.exact.value = exact;
      quoteForm.elements.prefix.value = whole.slice(Math.max(0, at - 32), at);
      quoteForm.elements.suffix.value = whole.slice(at + exact.length, at + exact.length + 32);
      quoteForm.elements.paragraph.value = para.id.replace("p-", "");
      document.getElementById("quote-shown").textContent = exact;
      quoteForm.hidden = false;
      quoteForm.elements.text.focus();
    });
    document.getElementById("quote-cancel").addEventListener("click", () => { quoteForm.hidden = true; });
    quoteForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      status.textContent = "Saving…";
      const response = await fetch(quoteForm.action, {
        method: "POST", body: new FormData(quoteForm), headers: { Accept: "application/json" }, credentials: "same-origin",
      });
      const answer = await response.json();
      if (!response.ok) { status.textContent = "Not saved: " + (answer.error || response.status); return; }
      location.assign(location.pathname + "?done=" + encodeURIComponent(answer.message));
    });
  }

  document.querySelectorAll("form.decide").forEach((form) => {
    form.addEventListener("submit", (event) => { event.preventDefault(); decide(form); });
  });
  document.querySelectorAll("mark[data-candidate]").forEach((mark) => {
    mark.addEventListener("click", () => {
      const i = items().findIndex((li) => li.dataset.candidate === mark.dataset.candidate);
      if (i >= 0) select(i);
    });
  });
  document.addEventListener("keydown", (event) => {
    const tag = (event.target.tagName || "").toLowerCase();
    if (["input", "textarea", "select"].includes(tag) || event.ctrlKey || event.metaKey || event.altKey) return;
    const li = items()[current];
    if (event.key === "j") select(current + 1);
    else if (event.key === "k") select(current - 1);
    else if (event.key === "a" && li) decide(li.querySelector("form.accept-form"));
    else if (event.key === "r" && li) decide(li.querySelector("form.reject-form"));
    else if (event.key === "u") undoLast();
    else if (event.key === "e" && li) {
      const details = li.querySelector("details");
      details.open = true;
      const input = details.querySelector("input:not([type=hidden]), select");
      if (input) input.focus();
    } else return;
    event.preventDefault();
  });
  select(0);
}
