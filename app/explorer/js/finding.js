// One finding as a card: its kind, authority, year, publication date, timeframe, section, text (or search
// snippet) and themes, with its source passage behind a button; and the page of one finding
// (#/finding/{id}, GET /findings/{id}) with the passage open.

import { ApiError, api } from "./api.js";
import { formatDate, h, markedText, prettify } from "./dom.js";
import { findingIntelligence } from "./intelligence.js";
import { showSource } from "./source.js";

/** One finding as a card, with its source passage behind a button. */
export function findingCard(finding, labels, { open = false } = {}) {
  const id = finding.id;
  const titleId = `finding-${id}-title`;
  const panelId = `finding-${id}-source`;
  const kind = labels.label("kind", finding.kind);
  const panel = h("div", { id: panelId, class: "source", hidden: true });
  const toggle = h("button", { type: "button", class: "button button--secondary source-toggle", "aria-expanded": "false", "aria-controls": panelId }, "Read in source");
  let loaded = false;
  const setOpen = async (opening) => {
    panel.hidden = !opening;
    toggle.setAttribute("aria-expanded", String(opening));
    toggle.textContent = opening ? "Hide source" : "Read in source";
    if (opening && !loaded) {
      loaded = true;
      try {
        await showSource(panel, finding);
      } catch (error) {
        loaded = false;
        panel.replaceChildren(h("p", { class: "error", role: "alert" }, error instanceof ApiError ? error.message : "The document could not be loaded."));
      }
    }
  };
  toggle.addEventListener("click", () => setOpen(panel.hidden));
  const facts = [
    h("a", { href: `#/authority/${encodeURIComponent(finding.authority.slug)}` }, finding.authority.name),
    `inspection of ${finding.year}`,
  ];
  if (finding.published_date) facts.push(`report published ${formatDate(finding.published_date)}`);
  if (finding.timeframe) facts.push(h("span", { class: "badge" }, labels.label("timeframe", finding.timeframe)));
  if (finding.section) facts.push(finding.section);
  const article = h(
    "article",
    { class: `finding finding--${finding.kind}`, "data-finding-id": id, "aria-labelledby": titleId },
    h("h3", { id: titleId, tabindex: "-1" }, `${kind}: ${finding.authority.name}, ${finding.year}`),
    h("p", { class: "finding__facts" }, facts.flatMap((fact, index) => (index ? [" · ", fact] : [fact]))),
    h("p", { class: "finding__text" }, finding.snippet ? markedText(finding.snippet) : finding.text),
    finding.themes.length
      ? h("ul", { class: "themes", "aria-label": "Themes" }, finding.themes.map((theme) => h("li", {}, labels.label("theme", theme.id))))
      : null,
    h("div", { class: "finding__actions" }, toggle, h("a", { href: `#/finding/${id}`, class: "finding__link" }, "Link to this finding")),
    panel,
  );
  if (open) setOpen(true);
  return article;
}

/** #/finding/{id}: one finding with its source passage open. */
export async function renderFinding(main, id) {
  const [finding, themes] = await Promise.all([api.finding(id), api.themes()]);
  const themeLabels = new Map(themes.map((theme) => [theme.id, theme.label]));
  const labels = {
    label: (facet, value) => (facet === "theme" && themeLabels.get(value)) || prettify(value),
  };
  main.replaceChildren(
    h("p", { class: "breadcrumb" }, h("a", { href: `#/?authority=${encodeURIComponent(finding.authority.slug)}&year_from=${finding.year}&year_to=${finding.year}` }, `All findings of ${finding.authority.name}, ${finding.year}`)),
    h("h1", { tabindex: "-1" }, `Finding ${id}`),
    findingCard(finding, labels, { open: true }),
    ...findingIntelligence(finding),
  );
  document.title = `Finding ${id}: Ofsted findings explorer`;
}
