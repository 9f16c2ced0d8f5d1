// The findings page: filters with counts (GET /findings/facets), results paginated with the
// API's `next` (GET /findings), and each finding's source passage (GET /documents/{id}).
// The filters live in the address (#/?authority=cheshire-east&year_from=2013...), so a
// filtered view can be bookmarked or shared, and Back undoes a filter.

import { ApiError, api, getJSON, queryString } from "./api.js";
import { formatDate, formatNumber, h, prettify } from "./dom.js";
import { findingCard } from "./finding.js";

const PAGE_SIZE = 20;

// Each facet is one findings filter of the API. `params` are its own parameters: they are
// left out when counting that facet, so every value shows how many findings choosing it
// would give, not only the values already chosen.
const FACETS = [
  { id: "authority", legend: "Authority", params: ["authority"], order: "label" },
  { id: "region", legend: "Region", params: ["region"], order: "label" },
  { id: "year", legend: "Year of inspection", params: ["year_from", "year_to"] },
  { id: "inspected", legend: "Date the inspection began", params: ["inspected_from", "inspected_to"], counted: false },
  { id: "published", legend: "Date the report was published", params: ["published_from", "published_to"], counted: false },
  { id: "type", legend: "Inspection type", params: ["type"], order: "label" },
  { id: "kind", legend: "Kind of finding", params: ["kind"], order: "label" },
  { id: "timeframe", legend: "Timeframe of a recommendation", params: ["timeframe"], order: "value" },
  { id: "judgement_area", legend: "Judgement area of the finding", params: ["judgement_area"], order: "label" },
  { id: "polarity", legend: "Polarity", params: ["polarity"], order: "label" },
  { id: "grade", legend: "Inspection gave the grade", params: ["grade"], order: "score" },
  { id: "theme", legend: "Theme", params: ["theme"], order: "label" },
];
const MULTI = ["authority", "region", "type", "kind", "timeframe", "judgement_area", "polarity", "grade", "theme"];
const DATES = ["inspected_from", "inspected_to", "published_from", "published_to"];
// The date filters: each group's two fields, their labels and its button.
const DATE_GROUPS = {
  inspected: {
    fields: [["inspected_from", "Began on or after"], ["inspected_to", "Began on or before"]],
    button: "Apply inspection dates",
  },
  published: {
    fields: [["published_from", "Published on or after"], ["published_to", "Published on or before"]],
    button: "Apply dates",
  },
};
// The theme filter's least probability: the model's score of the theme (`theme_score_min`).
const THEME_SCORES = [
  ["", "Any the model gave"],
  ["0.5", "At least 50%"],
  ["0.7", "At least 70%"],
  ["0.8", "At least 80%"],
  ["0.9", "At least 90%"],
];
// Filters with no control of their own, set by a link from another view (the grades
// view links to an inspection's findings): kept until their chip is removed.
const LINKED = ["inspection"];
const FILTERS = ["q", "year_from", "year_to", ...DATES, "theme_score_min", ...MULTI, ...LINKED];
const SORTS = [
  ["relevance", "Most relevant first"],
  ["date", "Oldest first"],
  ["-date", "Newest first"],
  ["authority", "By authority"],
];

/** The filter state from the address's query part. */
export function stateFrom(params) {
  const state = { q: params.get("q") || "", sort: params.get("sort") || "" };
  state.year_from = params.get("year_from") || "";
  state.year_to = params.get("year_to") || "";
  for (const name of DATES) state[name] = params.get(name) || "";
  state.theme_score_min = params.get("theme_score_min") || "";
  for (const name of [...MULTI, ...LINKED]) state[name] = params.getAll(name).filter(Boolean);
  return state;
}

export function hashOf(state) {
  const query = queryString(Object.fromEntries([...FILTERS, "sort"].map((name) => [name, state[name]])));
  return query ? `#/?${query}` : "#/";
}

function isSet(value) {
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}

/** The API's findings filters of a state, less the parameters named in `without`. */
function filterParams(state, without = []) {
  return Object.fromEntries(FILTERS.filter((name) => !without.includes(name)).map((name) => [name, state[name]]));
}

function sortOf(state) {
  const sort = state.sort || (state.q ? "relevance" : "date");
  return sort === "relevance" && !state.q ? "date" : sort;
}

/** Counts for every facet: one request for the facets nobody filtered on, and one per
 * filtered facet, counted without its own filter. */
async function facetCounts(state) {
  const counted = FACETS.filter((facet) => facet.counted !== false);
  const active = counted.filter((facet) => facet.params.some((name) => isSet(state[name])));
  const inactive = counted.filter((facet) => !active.includes(facet));
  const requests = [];
  if (inactive.length) {
    requests.push(api.facets({ ...filterParams(state), by: inactive.map((facet) => facet.id).join(",") }));
  }
  for (const facet of active) {
    requests.push(api.facets({ ...filterParams(state, facet.params), by: facet.id }));
  }
  const counts = {};
  for (const answer of await Promise.all(requests)) Object.assign(counts, answer.facets);
  return counts;
}

function countText(count) {
  return h(
    "span",
    { class: "count" },
    h("span", { class: "visually-hidden" }, ", "),
    formatNumber(count),
    h("span", { class: "visually-hidden" }, count === 1 ? " finding" : " findings"),
  );
}

function controlId(facet, value) {
  return `filter-${facet}-${String(value).replace(/[^a-z0-9-]/gi, "_")}`;
}

export class FindingsView {
  constructor(main) {
    this.main = main;
    this.generation = 0;
    this.labels = Object.fromEntries(MULTI.map((name) => [name, new Map()]));
    this.shown = 0;
    this.next = null;
    this.build();
  }

  build() {
    this.query = h("input", { type: "search", id: "filter-q", name: "q", "aria-describedby": "filter-q-hint", autocomplete: "off" });
    this.groups = h("div", { class: "filter-groups" });
    this.form = h(
      "form",
      { id: "filters", class: "filters", role: "search", "aria-labelledby": "filters-heading" },
      h("h2", { id: "filters-heading" }, "Filter the findings"),
      h(
        "div",
        { class: "field" },
        h("label", { for: "filter-q" }, "Search the text of findings"),
        h("p", { id: "filter-q-hint", class: "hint" }, 'Words, a "quoted phrase", or a prefix like supervis*'),
        h("div", { class: "search-row" }, this.query, h("button", { type: "submit", class: "button" }, "Search")),
      ),
      this.groups,
      h("button", { type: "button", class: "button button--secondary", id: "clear-filters", onclick: () => this.go({}) }, "Clear all filters"),
    );
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.go(this.read());
    });
    // A date applies with its button (or Enter): a date typed a digit at a time changes
    // at every digit.
    this.form.addEventListener("change", (event) => {
      if (event.target !== this.query && !DATES.includes(event.target.name)) this.go(this.read());
    });

    this.sort = h("select", { id: "sort", name: "sort" });
    this.sort.addEventListener("change", () => this.go({ ...this.state, sort: this.sort.value }));
    this.summary = h("p", { id: "result-summary", class: "result-summary", role: "status", "aria-live": "polite" });
    this.coverage = h("p", { id: "coverage-note", class: "coverage-note", hidden: true });
    this.chips = h("div", { class: "chips" });
    this.error = h("div", { class: "error-slot" });
    this.list = h("ol", { class: "finding-list", id: "finding-list" });
    this.more = h("button", { type: "button", class: "button", id: "more-findings", hidden: true, onclick: () => this.loadMore() }, "Show more findings");
    this.csv = h("a", { class: "button button--secondary", id: "findings-csv", download: "findings.csv", href: "/findings?format=csv" }, "Download CSV");
    this.download = h("p", { class: "download" }, this.csv, " of every finding matching these filters (the API's CSV, all pages, in this order).");
    this.results = h(
      "section",
      { class: "results", "aria-labelledby": "results-heading" },
      h(
        "div",
        { class: "results__head" },
        h("h2", { id: "results-heading" }, "Results"),
        h("div", { class: "field field--inline" }, h("label", { for: "sort" }, "Order"), this.sort),
      ),
      this.summary,
      this.coverage,
      this.download,
      this.chips,
      this.error,
      this.list,
      this.more,
    );
    this.main.replaceChildren(
      h("h1", { tabindex: "-1" }, "Findings"),
      h(
        "p",
        { class: "lede" },
        "Strengths, weaknesses, recommendations and narrative paragraphs from Ofsted's inspection reports. ",
        "The number beside each filter is how many findings choosing it would give. ",
        "Open a finding to read it highlighted in its report.",
      ),
      h("div", { class: "findings-layout" }, this.form, this.results),
    );
  }

  /** The state the controls show. */
  read() {
    const data = new FormData(this.form);
    const state = { q: String(data.get("q") || "").trim(), sort: this.state ? this.state.sort : "" };
    state.year_from = String(data.get("year_from") || "");
    state.year_to = String(data.get("year_to") || "");
    for (const name of DATES) state[name] = String(data.get(name) || "");
    state.theme_score_min = String(data.get("theme_score_min") || "");
    for (const name of MULTI) state[name] = data.getAll(name).map(String);
    for (const name of LINKED) state[name] = this.state ? this.state[name] : [];
    return state;
  }

  go(state) {
    const hash = hashOf(state);
    if (location.hash === hash || (hash === "#/" && !location.hash)) this.update(new URLSearchParams(hash.slice(3)));
    else location.hash = hash;
  }

  async update(params) {
    const state = stateFrom(params);
    this.state = state;
    const generation = ++this.generation;
    if (document.activeElement !== this.query) this.query.value = state.q;
    this.renderSort(state);
    this.results.setAttribute("aria-busy", "true");
    this.error.replaceChildren();
    try {
      const [page, counts, grades] = await Promise.all([
        api.findings({ ...filterParams(state), sort: sortOf(state), limit: PAGE_SIZE }),
        facetCounts(state),
        api.grades(),
      ]);
      if (generation !== this.generation) return;
      this.remember(counts);
      this.renderFacets(counts, state, grades);
      this.renderChips(state);
      this.list.replaceChildren();
      this.shown = 0;
      this.total = page.total;
      this.showCoverage(page.coverage);
      this.csv.href = `/findings?${queryString({ ...filterParams(state), sort: sortOf(state), format: "csv" })}`;
      this.download.hidden = page.total === 0;
      this.show(page);
    } catch (error) {
      if (generation !== this.generation) return;
      this.list.replaceChildren();
      this.more.hidden = true;
      this.summary.textContent = "No findings shown.";
      this.showCoverage(null);
      this.error.replaceChildren(errorMessage(error));
    } finally {
      if (generation === this.generation) this.results.removeAttribute("aria-busy");
    }
  }

  remember(counts) {
    for (const [facet, entries] of Object.entries(counts)) {
      if (!this.labels[facet]) continue;
      for (const entry of entries) this.labels[facet].set(String(entry.value), entry.label);
    }
  }

  label(facet, value) {
    const label = this.labels[facet] && this.labels[facet].get(String(value));
    return label && label !== value ? label : prettify(value);
  }

  renderSort(state) {
    const current = sortOf(state);
    this.sort.replaceChildren(
      ...SORTS.filter(([value]) => value !== "relevance" || state.q).map(([value, text]) =>
        h("option", { value, selected: value === current }, text),
      ),
    );
  }

  renderFacets(counts, state, grades) {
    const focused = document.activeElement && this.groups.contains(document.activeElement) ? document.activeElement.id : null;
    const scores = new Map(grades.map((grade) => [grade.id, grade.score]));
    this.groups.replaceChildren(
      ...FACETS.map((facet) => {
        if (facet.id === "year") return this.yearGroup(counts.year || [], state);
        if (DATE_GROUPS[facet.id]) return this.dateGroup(facet, state);
        const group = this.checkboxGroup(facet, counts[facet.id] || [], state[facet.id], scores);
        if (facet.id === "theme") group.append(this.themeScoreField(state));
        return group;
      }),
    );
    if (focused) {
      const again = document.getElementById(focused);
      if (again) again.focus();
    }
  }

  checkboxGroup(facet, entries, selected, scores) {
    const items = entries.map((entry) => ({ value: String(entry.value), label: this.label(facet.id, entry.value), count: entry.count }));
    for (const value of selected) {
      if (!items.some((item) => item.value === value)) items.push({ value, label: this.label(facet.id, value), count: 0 });
    }
    const by = {
      label: (a, b) => a.label.localeCompare(b.label, "en-GB"),
      value: (a, b) => a.value.localeCompare(b.value),
      score: (a, b) => (scores.get(a.value) || 9) - (scores.get(b.value) || 9),
    }[facet.order];
    items.sort(by);
    const list = h(
      "ul",
      { class: items.length > 8 ? "choices choices--scroll" : "choices" },
      items.map((item) => {
        const id = controlId(facet.id, item.value);
        return h(
          "li",
          { class: "choice" },
          h("input", { type: "checkbox", id, name: facet.id, value: item.value, checked: selected.includes(item.value) }),
          h("label", { for: id }, h("span", { class: "choice__label" }, item.label), countText(item.count)),
        );
      }),
    );
    return h(
      "fieldset",
      { class: "filter-group", "data-facet": facet.id },
      h("legend", {}, facet.legend),
      items.length ? list : h("p", { class: "hint" }, "None under these filters."),
    );
  }

  /** How sure the model must be of a theme for it to count (filter and counts alike). */
  themeScoreField(state) {
    const value = state.theme_score_min;
    const known = THEME_SCORES.some(([option]) => option === value);
    return h(
      "div",
      { class: "field field--inline" },
      h("label", { for: "filter-theme_score_min" }, "The model's probability of the theme"),
      h(
        "select",
        { id: "filter-theme_score_min", name: "theme_score_min" },
        THEME_SCORES.map(([option, text]) => h("option", { value: option, selected: option === value }, text)),
        known ? null : h("option", { value, selected: true }, `At least ${value}`),
      ),
    );
  }

  yearGroup(entries, state) {
    const years = entries.map((entry) => ({ year: Number(entry.value), count: entry.count })).sort((a, b) => a.year - b.year);
    const select = (name, text, value) => {
      const id = `filter-${name}`;
      const present = years.some((entry) => String(entry.year) === value);
      return h(
        "div",
        { class: "field field--inline" },
        h("label", { for: id }, text),
        h(
          "select",
          { id, name },
          h("option", { value: "", selected: !value }, "Any"),
          years.map((entry) =>
            h("option", { value: entry.year, selected: String(entry.year) === value }, `${entry.year} (${formatNumber(entry.count)})`),
          ),
          value && !present ? h("option", { value, selected: true }, value) : null,
        ),
      );
    };
    return h(
      "fieldset",
      { class: "filter-group filter-group--years", "data-facet": "year" },
      h("legend", {}, "Year of inspection"),
      select("year_from", "From", state.year_from),
      select("year_to", "To", state.year_to),
    );
  }

  dateGroup(facet, state) {
    const group = DATE_GROUPS[facet.id];
    const hint = `${facet.id}-hint`;
    const field = ([name, text]) =>
      h(
        "div",
        { class: "field field--inline" },
        h("label", { for: `filter-${name}` }, text),
        h("input", { type: "text", inputmode: "numeric", id: `filter-${name}`, name, value: state[name] || null, size: 10, autocomplete: "off", "aria-describedby": hint, class: "date-field" }),
      );
    return h(
      "fieldset",
      { class: "filter-group filter-group--dates", "data-facet": facet.id },
      h("legend", {}, facet.legend),
      h("p", { class: "hint", id: hint }, "As year-month-day, for example 2023-01-31"),
      group.fields.map(field),
      h("button", { type: "submit", class: "button button--secondary", id: `apply-${facet.id}` }, group.button),
    );
  }

  renderChips(state) {
    const chips = [];
    const drop = (name, value) => () => {
      const next = { ...state };
      next[name] = Array.isArray(state[name]) ? state[name].filter((item) => item !== value) : "";
      this.go(next);
    };
    if (state.q) chips.push(["Search", `Search: “${state.q}”`, drop("q")]);
    for (const value of state.inspection) chips.push(["Inspection", `Inspection ${value}`, drop("inspection", value)]);
    if (state.year_from) chips.push(["Year", `From ${state.year_from}`, drop("year_from")]);
    if (state.year_to) chips.push(["Year", `To ${state.year_to}`, drop("year_to")]);
    if (state.inspected_from) chips.push(["Inspection began", `Inspection began on or after ${formatDate(state.inspected_from)}`, drop("inspected_from")]);
    if (state.inspected_to) chips.push(["Inspection began", `Inspection began on or before ${formatDate(state.inspected_to)}`, drop("inspected_to")]);
    if (state.published_from) chips.push(["Published", `Published on or after ${formatDate(state.published_from)}`, drop("published_from")]);
    if (state.published_to) chips.push(["Published", `Published on or before ${formatDate(state.published_to)}`, drop("published_to")]);
    if (state.theme_score_min) chips.push(["Theme probability", `Themes at ${Math.round(Number(state.theme_score_min) * 100)}% or more`, drop("theme_score_min")]);
    for (const facet of FACETS) {
      if (!MULTI.includes(facet.id)) continue;
      for (const value of state[facet.id]) chips.push([facet.legend, this.label(facet.id, value), drop(facet.id, value)]);
    }
    // No chips: no child at all (replaceChildren(null) would show the text "null").
    this.chips.replaceChildren(
      ...(chips.length
        ? [
            h(
              "ul",
              { class: "chip-list", "aria-label": "Filters in use" },
              chips.map(([name, value, onclick]) =>
                h("li", {}, h("button", { type: "button", class: "chip", onclick, "aria-label": `Remove filter ${name}: ${value}` }, `${value} ×`)),
              ),
            ),
          ]
        : []),
    );
  }

  show(page) {
    const cards = page.items.map((finding) => h("li", {}, findingCard(finding, this)));
    this.list.append(...cards);
    this.shown += page.items.length;
    this.next = page.next;
    this.more.hidden = !page.next;
    const total = this.total ?? this.shown;
    this.summary.textContent =
      total === 0 ? "No findings match these filters." : `Showing ${formatNumber(this.shown)} of ${formatNumber(total)} ${total === 1 ? "finding" : "findings"}`;
    return cards;
  }

  /** Beside an answer that spans authorities: how many have reports loaded for its years and
   * types (the API's `coverage`; absent when the filters name authorities). */
  showCoverage(coverage) {
    this.coverage.hidden = !coverage;
    this.coverage.textContent = coverage
      ? `Data from ${formatNumber(coverage.authorities_with_data)} of ${formatNumber(coverage.of)} authorities: the others have no report loaded for these years and types.`
      : "";
  }

  async loadMore() {
    if (!this.next) return;
    const generation = this.generation;
    this.more.disabled = true;
    try {
      const page = await getJSON(this.next);
      if (generation !== this.generation) return;
      const [first] = this.show(page);
      if (first) first.querySelector("h3").focus();
    } catch (error) {
      this.error.replaceChildren(errorMessage(error));
    } finally {
      this.more.disabled = false;
    }
  }
}

function errorMessage(error) {
  const text = error instanceof ApiError ? error.message : "The API could not be reached.";
  return h("div", { class: "error", role: "alert" }, h("p", {}, h("strong", {}, "Cannot show findings: "), text));
}
