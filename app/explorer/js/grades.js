// The grades view: every authority's latest grade in a judgement area (GET /judgements with
// latest=true, every page), filtered by area, grade, region, framework and the statistical
// neighbours of an authority, sortable, with the same rows as CSV from the API.
//
//   #/grades?area=care-leavers&grade=inadequate&region=North%20West&type=ilacs&neighbours_of=cheshire-east

import { allPages, api, getJSON, queryString } from "./api.js";
import { formatDate, h, prettify, s as svgNode } from "./dom.js";

const FIELDS = ["area", "grade", "region", "type", "neighbours_of"];
const DEFAULT_AREA = "overall-effectiveness";
// Columns: heading, the value sorted on, and the cell.
const COLUMNS = [
  ["Authority", (row) => row.authority.name],
  ["Region", (row) => row.region],
  ["Judgement area", (row) => row.areaLabel],
  ["Grade", (row) => row.score ?? 9],
  ["Inspection began", (row) => row.start_date],
  ["Framework", (row) => row.typeLabel],
  ["Findings", null],
];

export function gradesStateFrom(params) {
  const state = Object.fromEntries(FIELDS.map((name) => [name, params.get(name) || ""]));
  if (!params.has("area")) state.area = DEFAULT_AREA;
  state.sort = params.get("sort") || "authority";
  return state;
}

function gradesHash(state) {
  const query = queryString({ ...state, area: state.area === "" ? "any" : state.area, sort: state.sort === "authority" ? "" : state.sort });
  return `#/grades${query ? `?${query}` : ""}`;
}

/** The API's parameters of a state: `neighbours_of` becomes the authority and its
 * neighbours (an `authority` filter). */
async function apiParams(state) {
  const params = { latest: "true", area: state.area === "any" ? "" : state.area, grade: state.grade, region: state.region, type: state.type };
  if (state.neighbours_of) {
    const neighbours = await api.neighbours(state.neighbours_of);
    params.authority = [neighbours.authority.slug, ...neighbours.neighbours.map((peer) => peer.slug)];
  }
  return params;
}

function select(name, label, options, value) {
  const id = `grades-${name}`;
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    h("select", { id, name }, options.map(([optionValue, text]) => h("option", { value: optionValue, selected: optionValue === value }, text))),
  );
}

// Grades best first, each a colour at least 3:1 against white.
const GRADE_COLOURS = { outstanding: "#00734a", good: "#0b5cad", "requires-improvement": "#b34700", inadequate: "#a3173b" };

/** The area's judgements per year, by grade: a column per year, stacked best grade at the
 * bottom, with the same counts as a table (GET /stats/grades?per=inspection&by=year). */
function gradesOverTime(stats, grades, areaText) {
  const years = [...new Set(stats.items.map((item) => item.year))].sort((a, b) => a - b);
  const count = (year, grade) => stats.items.filter((item) => item.year === year && item.grade === grade).reduce((sum, item) => sum + item.judgements, 0);
  const totals = new Map(years.map((year) => [year, grades.reduce((sum, grade) => sum + count(year, grade.id), 0)]));
  const width = 760;
  const height = 260;
  const margin = { top: 12, right: 16, bottom: 36, left: 48 };
  const most = Math.max(1, ...totals.values());
  const step = (width - margin.left - margin.right) / Math.max(1, years.length);
  const y = (value) => margin.top + (1 - value / most) * (height - margin.top - margin.bottom);
  const columns = years.map((year, index) => {
    let below = 0;
    const x = margin.left + index * step + step * 0.15;
    return svgNode(
      "g",
      { class: "chart-year", "data-year": year, "data-total": totals.get(year) },
      grades.map((grade) => {
        const value = count(year, grade.id);
        if (!value) return null;
        const top = y(below + value);
        const rect = svgNode("rect", { x: x.toFixed(1), y: top.toFixed(1), width: (step * 0.7).toFixed(1), height: (y(below) - top).toFixed(1), fill: GRADE_COLOURS[grade.id], stroke: "#ffffff", "data-grade": grade.id, "data-count": value }, svgNode("title", {}, `${year}: ${value} ${grade.label}`));
        below += value;
        return rect;
      }),
      svgNode("text", { x: (x + step * 0.35).toFixed(1), y: height - margin.bottom + 16, "text-anchor": "middle", class: "chart-label" }, years.length > 12 ? `’${String(year).slice(2)}` : String(year)),
    );
  });
  const axis = [
    svgNode("line", { x1: margin.left, x2: width - margin.right, y1: y(0), y2: y(0), class: "chart-axis" }),
    svgNode("text", { x: margin.left - 6, y: y(most) + 4, "text-anchor": "end", class: "chart-label" }, String(most)),
    svgNode("text", { x: margin.left - 6, y: y(0) + 4, "text-anchor": "end", class: "chart-label" }, "0"),
  ];
  const svg = svgNode(
    "svg",
    { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": "grades-time-title grades-time-desc", class: "chart chart--grades-time", "data-years": years.length },
    svgNode("title", { id: "grades-time-title" }, `Judgements in ${areaText} per year of inspection, by grade`),
    svgNode("desc", { id: "grades-time-desc" }, years.length ? `${years[0]} to ${years[years.length - 1]}; the table below gives every count.` : "No judgements."),
    axis,
    columns,
  );
  const legend = h(
    "ul",
    { class: "legend", "aria-label": "Grades" },
    grades.map((grade) => h("li", {}, svgNode("svg", { viewBox: "0 0 20 20", width: 20, height: 20, "aria-hidden": "true", class: "legend__key" }, svgNode("rect", { x: 2, y: 2, width: 16, height: 16, fill: GRADE_COLOURS[grade.id] })), grade.label)),
  );
  const table = h(
    "table",
    { class: "data-table", id: "grades-time-table" },
    h("caption", {}, `Judgements in ${areaText} per year of inspection, by grade (every inspection's own judgements)`),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Year"), grades.map((grade) => h("th", { scope: "col" }, grade.label)), h("th", { scope: "col" }, "All"))),
    h("tbody", {}, years.map((year) => h("tr", { "data-year": year }, h("th", { scope: "row" }, String(year)), grades.map((grade) => h("td", {}, String(count(year, grade.id)))), h("td", {}, String(totals.get(year)))))),
  );
  return { svg, legend, table };
}

export async function renderGrades(main, params, current = () => true) {
  const state = gradesStateFrom(params);
  const [authorities, grades, areaLabels, typeLabels] = await Promise.all([api.allAuthorities(), api.grades(), api.areaLabels(), api.typeLabels()]);
  const bySlug = new Map(authorities.map((authority) => [authority.slug, authority]));
  const regions = [...new Set(authorities.map((authority) => authority.region))].sort();
  const inspected = authorities.filter((authority) => authority.inspections > 0).sort((a, b) => a.name.localeCompare(b.name, "en-GB"));
  const gradeLabels = new Map(grades.map((grade) => [grade.id, grade.label]));

  const form = h(
    "form",
    { class: "grades-filters", role: "search", "aria-labelledby": "grades-filters-heading" },
    h("h2", { id: "grades-filters-heading", class: "visually-hidden" }, "Choose the grades"),
    select("area", "Judgement area", [["any", "Every area"], ...[...areaLabels].map(([value, text]) => [value, text])], state.area || "any"),
    select("grade", "Latest grade", [["", "Any grade"], ...grades.map((grade) => [grade.id, grade.label])], state.grade),
    select("region", "Region", [["", "Every region"], ...regions.map((region) => [region, region])], state.region),
    select("type", "Framework of the inspection", [["", "Any framework"], ...[...typeLabels].map(([value, text]) => [value, text])], state.type),
    select("neighbours_of", "An authority and its statistical neighbours", [["", "Every authority"], ...inspected.map((authority) => [authority.slug, authority.name])], state.neighbours_of),
  );
  form.addEventListener("change", () => {
    const data = new FormData(form);
    const next = Object.fromEntries(FIELDS.map((name) => [name, String(data.get(name) || "")]));
    location.hash = gradesHash({ ...next, sort: state.sort });
  });

  const base = await apiParams(state);
  const rows = (await allPages(`/judgements?${queryString({ ...base, limit: 500 })}`)).map((item) => ({
    ...item,
    region: bySlug.get(item.authority.slug)?.region || "",
    areaLabel: areaLabels.get(item.area) || prettify(item.area),
    typeLabel: typeLabels.get(item.inspection_type) || prettify(item.inspection_type),
  }));
  const [sortName, descending] = state.sort.startsWith("-") ? [state.sort.slice(1), true] : [state.sort, false];
  const sortIndex = Math.max(0, COLUMNS.findIndex(([heading, value]) => value && heading.toLowerCase().replaceAll(" ", "-") === sortName));
  const key = COLUMNS[sortIndex][1];
  rows.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    const order = typeof x === "number" ? x - y : String(x).localeCompare(String(y), "en-GB");
    return (descending ? -order : order) || a.authority.name.localeCompare(b.authority.name, "en-GB") || a.areaLabel.localeCompare(b.areaLabel);
  });

  const csv = `/judgements?${queryString({ ...base, format: "csv" })}`;
  const areaText = state.area === "any" ? "every area" : areaLabels.get(state.area) || prettify(state.area);
  const summary = `${rows.length} ${rows.length === 1 ? "latest grade" : "latest grades"} in ${areaText}${state.grade ? `, ${gradeLabels.get(state.grade) || state.grade}` : ""}`;
  const header = COLUMNS.map(([heading], index) => {
    const id = heading.toLowerCase().replaceAll(" ", "-");
    if (!COLUMNS[index][1]) return h("th", { scope: "col" }, heading);
    const sorted = index === sortIndex;
    const next = sorted && !descending ? `-${id}` : id;
    return h(
      "th",
      { scope: "col", "aria-sort": sorted ? (descending ? "descending" : "ascending") : null },
      h(
        "a",
        {
          href: gradesHash({ ...state, sort: next }),
          class: "sort-link",
          id: `sort-${id}`,
          "aria-label": `${heading}, ${sorted ? (descending ? "sorted last to first; sort first to last" : "sorted first to last; sort last to first") : "sort by this"}`,
        },
        heading,
      ),
      sorted ? h("span", { "aria-hidden": "true" }, descending ? " ▼" : " ▲") : null,
    );
  });
  const table = h(
    "table",
    { class: "data-table", id: "grades-table" },
    h("caption", {}, `Each authority's latest grade in ${areaText}, from the most recent inspection that graded it`),
    h("thead", {}, h("tr", {}, header)),
    h(
      "tbody",
      {},
      rows.map((row) =>
        h(
          "tr",
          { "data-slug": row.authority.slug, "data-area": row.area, "data-grade": row.grade || "" },
          h("th", { scope: "row" }, h("a", { href: `#/authority/${encodeURIComponent(row.authority.slug)}` }, row.authority.name)),
          h("td", {}, row.region),
          h("td", {}, row.areaLabel),
          h("td", {}, row.grade ? `${row.grade_label} (${row.score})` : "Not read"),
          h("td", {}, formatDate(row.start_date)),
          h("td", {}, row.typeLabel),
          h("td", {}, h("a", { href: `#/?inspection=${row.inspection_id}`, "aria-label": `Findings of the ${formatDate(row.start_date)} inspection of ${row.authority.name}` }, "Its findings")),
        ),
      ),
    ),
  );
  const timeParams = { ...base, latest: "", grade: "", per: "inspection", by: "year", area: state.area === "any" ? DEFAULT_AREA : state.area };
  const stats = await getJSON(`/stats/grades?${queryString(timeParams)}`);
  const timeArea = areaLabels.get(timeParams.area) || prettify(timeParams.area);
  const where = [state.region, state.neighbours_of ? `${bySlug.get(state.neighbours_of)?.name || state.neighbours_of} and its statistical neighbours` : "", state.type ? typeLabels.get(state.type) : ""].filter(Boolean).join(", ");
  const overTime = gradesOverTime(stats, grades, timeArea);
  const timeSection = h(
    "section",
    { class: "panel", "aria-labelledby": "grades-time-heading" },
    h("h2", { id: "grades-time-heading" }, `${timeArea} over time${where ? `: ${where}` : ", England"}`),
    h("p", {}, "Every inspection's own judgements in the area, by the year the inspection began (not only each authority's latest), under the same region, framework and neighbours as the table above."),
    h("figure", { class: "chart-figure" }, overTime.svg, h("figcaption", {}, overTime.legend)),
    h("details", {}, h("summary", {}, "The counts as a table"), overTime.table),
    h("p", { class: "download" }, h("a", { href: `/stats/grades?${queryString({ ...timeParams, format: "csv" })}`, download: "grades-over-time.csv", id: "grades-time-csv", class: "button button--secondary" }, "Download CSV"), " of these counts (the API's grade statistics)."),
  );
  if (!current()) return;
  main.replaceChildren(
    h("h1", { tabindex: "-1" }, "Grades"),
    h(
      "p",
      { class: "lede" },
      "Each authority's latest grade in a judgement area: from the most recent loaded inspection that graded that area, whatever its framework (the date and framework say which). ",
      "Grades known only from a later report's citation are on each authority's page.",
    ),
    form,
    h("p", { id: "grades-summary", role: "status" }, summary),
    h("p", {}, h("a", { href: csv, download: "judgements.csv", class: "button button--secondary", id: "grades-csv" }, "Download CSV"), " of these rows (the API's CSV, every page)."),
    h("div", { class: "table-scroll" }, table),
    timeSection,
  );
  document.title = "Grades: Ofsted findings explorer";
}
