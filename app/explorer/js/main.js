// The explorer's router: views by the address's hash, so every view has an address and
// the server has one page.
//
//   #/?authority=cheshire-east&year_from=2013   findings, filtered
//   #/finding/69                                one finding, its source passage open
//   #/authorities                               authorities with inspections
//   #/authority/cheshire-east                   grades over time, themes beside neighbours
//   #/grades?area=care-leavers&grade=inadequate every authority's latest grade in an area

import { ApiError } from "./api.js";
import { renderAuthorities, renderAuthority } from "./authority.js";
import { h } from "./dom.js";
import { renderFinding } from "./finding.js";
import { renderGrades } from "./grades.js";
import { FindingsView } from "./findings.js";

const main = document.getElementById("main");
let findingsView = null;
let lastPattern = null;
// Each route() a number: a view drawn for an address that has since changed (a list box
// arrowed through faster than the answers come) is not shown.
let routing = 0;

const ROUTES = [
  [/^#\/authorities$/, () => renderAuthorities(main), "authorities"],
  [/^#\/authority\/([^/?]+)$/, (match) => renderAuthority(main, decodeURIComponent(match[1])), "authorities"],
  [/^#\/grades(?:\?(.*))?$/, (match, current) => renderGrades(main, new URLSearchParams(match[1] || ""), current), "grades"],
  [/^#\/finding\/(\d+)$/, (match) => renderFinding(main, Number(match[1])), "findings"],
];

function markCurrent(section) {
  for (const link of document.querySelectorAll("[data-nav]")) {
    if (link.dataset.nav === section) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

function focusHeading() {
  const heading = main.querySelector("h1");
  if (heading) heading.focus({ preventScroll: false });
}

function showError(error) {
  const message = error instanceof ApiError ? error.message : "The API could not be reached.";
  main.replaceChildren(
    h("h1", { tabindex: "-1" }, error instanceof ApiError && error.status === 404 ? "Not found" : "Something went wrong"),
    h("div", { class: "error", role: "alert" }, h("p", {}, message)),
    h("p", {}, h("a", { href: "#/" }, "Back to the findings")),
  );
  document.title = "Error: Ofsted findings explorer";
}

async function route({ initial = false } = {}) {
  const hash = location.hash || "#/";
  // Anchors inside the page (the skip link) are not views.
  if (!hash.startsWith("#/")) return;
  for (const [pattern, render, section] of ROUTES) {
    const match = hash.match(pattern);
    if (!match) continue;
    findingsView = null;
    markCurrent(section);
    // The same view again (a filter or an order changed): focus stays on the control used.
    const again = lastPattern === pattern && document.activeElement && main.contains(document.activeElement) ? document.activeElement.id : null;
    lastPattern = pattern;
    const mine = ++routing;
    const current = () => mine === routing;
    main.setAttribute("aria-busy", "true");
    try {
      await render(match, current);
    } catch (error) {
      if (current()) showError(error);
    } finally {
      if (current()) main.removeAttribute("aria-busy");
    }
    if (!current()) return;
    const control = again && document.getElementById(again);
    if (control) control.focus();
    else if (!initial) focusHeading();
    return;
  }
  // Anything else under #/ is the findings view with filters in the query part.
  lastPattern = null;
  routing += 1;
  markCurrent("findings");
  const query = hash.includes("?") ? hash.slice(hash.indexOf("?") + 1) : "";
  const entering = findingsView === null;
  if (entering) {
    findingsView = new FindingsView(main);
    document.title = "Findings: Ofsted findings explorer";
  }
  await findingsView.update(new URLSearchParams(query));
  if (entering && !initial) focusHeading();
}

document.querySelector(".skip-link").addEventListener("click", (event) => {
  event.preventDefault();
  main.focus();
});
window.addEventListener("hashchange", () => route());
route({ initial: true });
