// Charts as inline SVG made here: an authority's grades over time on the one 1-4 scale,
// and its theme profile beside its statistical neighbours. Each chart comes with a table
// of the same numbers, for screen readers and for anyone who wants the exact values.

import { formatDate, h, prettify, s } from "./dom.js";

// Judgement areas in the order of the API's vocabulary, each with its own colour (at least
// 3:1 against white) and marker shape: no two areas share a style, so series differ by more
// than colour and never read as one.
const AREAS = [
  ["overall-effectiveness", "#1b1b1b", "circle"],
  ["help-and-protection", "#0b5cad", "square"],
  ["children-in-care", "#b34700", "triangle"],
  ["care-leavers", "#00734a", "diamond"],
  ["adoption", "#7a2e9e", "triangle-down"],
  ["leadership", "#a3173b", "square"],
  ["quality-of-practice", "#006a80", "diamond"],
  ["capacity-to-improve", "#6b5200", "circle"],
  ["safeguarding-board", "#8a3f00", "triangle"],
  ["outcomes-for-children-in-care", "#2d6a00", "square"],
  ["quality-of-provision", "#5a3d8a", "diamond"],
];
// An area the API adds later gets a style of its own from these, in order of appearance.
const SPARE = [["#555555", "circle"], ["#3d5a80", "triangle-down"], ["#80461b", "diamond"], ["#2f4f4f", "square"]];
const STYLE = new Map(AREAS.map(([area, colour, shape]) => [area, { colour, shape }]));
const AREA_ORDER = new Map(AREAS.map(([area], index) => [area, index]));

function styleOf(area) {
  if (!STYLE.has(area)) {
    const [colour, shape] = SPARE[(STYLE.size - AREAS.length) % SPARE.length];
    STYLE.set(area, { colour, shape });
  }
  return STYLE.get(area);
}

export function areaOrder(a, b) {
  return (AREA_ORDER.get(a) ?? 99) - (AREA_ORDER.get(b) ?? 99) || a.localeCompare(b);
}

function marker(shape, x, y, size, attributes) {
  const r = size;
  const points = {
    square: [[x - r, y - r], [x + r, y - r], [x + r, y + r], [x - r, y + r]],
    diamond: [[x, y - r * 1.3], [x + r * 1.3, y], [x, y + r * 1.3], [x - r * 1.3, y]],
    triangle: [[x, y - r * 1.3], [x + r * 1.2, y + r], [x - r * 1.2, y + r]],
    "triangle-down": [[x, y + r * 1.3], [x + r * 1.2, y - r], [x - r * 1.2, y - r]],
  }[shape];
  if (!points) return s("circle", { cx: x, cy: y, r, ...attributes });
  return s("polygon", { points: points.map((point) => point.map((n) => n.toFixed(1)).join(",")).join(" "), ...attributes });
}

/** "2013-03-11", "2019-11" or "2019" as a fractional year (a month alone: its middle;
 * a year alone: its middle). */
export function yearOf(date) {
  const [year, month, day] = String(date).split("-").map(Number);
  if (!month) return year + 0.5;
  return year + (month - 1 + (day ? (day - 1) / 31 : 0.5)) / 12;
}

/** Whether a grade cited as of `cited` ("2013-04", "2019") is the grade of an inspection
 * that began on `start` ("2013-03-11"): a later report cites an inspection by its month
 * (the inspection's or its report's, up to six months on) or by its year alone. */
function citesInspection(cited, start) {
  const [year, month] = String(cited).split("-").map(Number);
  const [startYear, startMonth] = String(start).split("-").map(Number);
  if (!month) return year === startYear;
  const months = (year - startYear) * 12 + (month - startMonth);
  return months >= 0 && months <= 6;
}

/** The graded points of a timeline: one per judgement of an inspection, and one per grade
 * known only from a later report's citation. A citation of a loaded inspection's own grade
 * (same area, same grade, its month or year) is not a second point: the inspection's point
 * lists the reports that cite it (`citedBy`), and the citation is kept in `citations` with
 * the point it repeats (`sameAs`). */
export function gradePoints(timeline) {
  const points = [];
  for (const item of timeline.items) {
    if (item.event !== "inspection") continue;
    for (const judgement of item.judgements) {
      if (judgement.score === null || judgement.score === undefined) continue;
      points.push({
        date: item.date, x: yearOf(item.date), area: judgement.area, score: judgement.score, grade: judgement.grade,
        gradeLabel: judgement.grade_label, event: "inspection", type: item.type_label, inspectionId: item.inspection_id, citedBy: [],
      });
    }
  }
  const citations = [];
  for (const item of timeline.items) {
    if (item.event !== "cited-judgement" || item.judgement.score === null || item.judgement.score === undefined) continue;
    const judgement = item.judgement;
    const sameAs = points.find((point) => point.event === "inspection" && point.area === judgement.area && point.score === judgement.score && citesInspection(item.date, point.date));
    citations.push({ item, sameAs: sameAs || null });
    if (sameAs) {
      sameAs.citedBy.push(item.cited_by.inspection_id);
      continue;
    }
    points.push({
      date: item.date, x: yearOf(item.date), area: judgement.area, score: judgement.score, grade: judgement.grade,
      gradeLabel: judgement.grade_label, event: "cited-judgement", type: null, inspectionId: null, citedBy: [item.cited_by.inspection_id],
    });
  }
  points.sort((a, b) => a.x - b.x || areaOrder(a.area, b.area));
  return { points, citations };
}

const SHORT_GRADES = { 1: "Outstanding", 2: "Good", 3: "Requires improvement", 4: "Inadequate" };

function shortType(label) {
  const bracket = String(label || "").match(/\(([^)]+)\)\s*$/);
  return bracket ? bracket[1] : label;
}

/** The grid: judgement areas down, graded inspections (and grades known only from a
 * citation) across, each cell the grade: readable at a glance, and the chart's table. */
function gradeGrid(timeline, points, areas, areaLabel, gradeLabel) {
  const columns = [];
  for (const point of points) {
    const key = point.event === "inspection" ? `i${point.inspectionId}` : `c${point.date}`;
    if (!columns.some((column) => column.key === key)) columns.push({ key, date: point.date, type: point.type, cited: point.event !== "inspection", citedBy: point.citedBy });
  }
  const cell = (area, column) => {
    const point = points.find((p) => p.area === area && (p.event === "inspection" ? `i${p.inspectionId}` : `c${p.date}`) === column.key);
    if (!point) return h("td", { class: "grade-cell" }, h("span", { class: "visually-hidden" }, "Not graded"));
    return h(
      "td",
      { class: `grade-cell grade-cell--${point.score}`, "data-score": point.score },
      `${point.score} ${SHORT_GRADES[point.score] || gradeLabel.get(point.score)}`,
      point.event === "inspection" ? null : h("span", { class: "grade-cell__note" }, " (cited)"),
    );
  };
  return h(
    "table",
    { class: "data-table grade-grid", id: "grade-grid" },
    h("caption", {}, `${timeline.authority.name}'s grades: judgement areas by inspection, oldest first; a column marked “cited” is a grade known only from a later report`),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "Judgement area"),
        columns.map((column) =>
          h("th", { scope: "col", "data-date": column.date }, formatDate(column.date), h("br"), column.cited ? `Cited by a later report (inspection ${column.citedBy.join(", ")})` : shortType(column.type)),
        ),
      ),
    ),
    h("tbody", {}, areas.map((area) => h("tr", { "data-area": area }, h("th", { scope: "row" }, areaLabel(area)), columns.map((column) => cell(area, column))))),
  );
}

/** The grade timeline as small multiples: one lane per judgement area, so no area's
 * markers can hide another's; in each lane x is time and the height the grade (1
 * outstanding at the top of the lane, 4 inadequate at its foot), a line joining the area's
 * grades. A grade known only from a later report's citation is hollow; inspections and
 * visits are marked on the time axis. */
export function gradeTimelineChart(timeline, { grades, areaLabels }) {
  const { points, citations } = gradePoints(timeline);
  const inspections = timeline.items.filter((item) => item.event === "inspection");
  const areaLabel = (area) => areaLabels.get(area) || prettify(area);
  const gradeLabel = new Map(grades.map((grade) => [grade.score, grade.label]));
  const areas = [...new Set(points.map((point) => point.area))].sort(areaOrder);
  const lane = 58;
  const step = 12;
  const width = 760;
  const margin = { top: 12, right: 24, bottom: 56, left: 270 };
  const height = margin.top + areas.length * lane + margin.bottom;
  const xs = [...points.map((point) => point.x), ...inspections.map((item) => yearOf(item.date))];
  const first = Math.floor(Math.min(...xs));
  const last = Math.ceil(Math.max(...xs) + 0.001);
  const x = (year) => margin.left + ((year - first) / Math.max(1, last - first)) * (width - margin.left - margin.right);
  const laneTop = (area) => margin.top + areas.indexOf(area) * lane;
  const y = (area, score) => laneTop(area) + 8 + (score - 1) * step;
  const bottom = margin.top + areas.length * lane;

  const axis = [];
  for (const area of areas) {
    const top = laneTop(area);
    axis.push(s("line", { x1: 8, x2: width - margin.right, y1: top + lane - 4, y2: top + lane - 4, class: "chart-grid" }));
    axis.push(s("text", { x: 8, y: top + 22, class: "chart-label chart-label--area" }, areaLabel(area)));
    for (let score = 1; score <= 4; score += 1) {
      axis.push(s("text", { x: margin.left - 8, y: y(area, score) + 4, "text-anchor": "end", class: "chart-tick" }, String(score)));
      axis.push(s("line", { x1: margin.left, x2: width - margin.right, y1: y(area, score), y2: y(area, score), class: "chart-grid chart-grid--faint" }));
    }
  }
  const every = last - first > 14 ? 2 : 1;
  for (let year = first; year <= last; year += every) {
    axis.push(s("line", { x1: x(year), x2: x(year), y1: bottom, y2: bottom + 5, class: "chart-axis" }));
    axis.push(s("text", { x: x(year), y: bottom + 19, "text-anchor": "middle", class: "chart-label" }, String(year)));
  }
  axis.push(s("line", { x1: margin.left, x2: width - margin.right, y1: bottom, y2: bottom, class: "chart-axis" }));

  const events = inspections.map((item) =>
    s(
      "g",
      { class: "chart-inspection", "data-date": item.date, "data-type": item.type, "data-graded": String(item.judgements.length > 0) },
      s("title", {}, `${formatDate(item.date)}: ${item.type_label}${item.judgements.length ? "" : " (no grades)"}`),
      s("line", { x1: x(yearOf(item.date)), x2: x(yearOf(item.date)), y1: margin.top, y2: bottom, class: "chart-event-line" }),
      marker("triangle", x(yearOf(item.date)), bottom + 34, 5, { class: item.judgements.length ? "chart-event" : "chart-event chart-event--ungraded" }),
    ),
  );

  const series = areas.map((area) => {
    const style = styleOf(area);
    const mine = points.filter((point) => point.area === area);
    // Two grades of one area close in time and equal: the later is moved right of the other.
    const placed = [];
    for (const point of mine) {
      let px = x(point.x);
      const before = placed[placed.length - 1];
      if (before && before.point.score === point.score && px - before.px < 12) px = before.px + 12;
      placed.push({ point, px });
    }
    const path = placed.map(({ point, px }, index) => `${index ? "L" : "M"}${px.toFixed(1)},${y(area, point.score).toFixed(1)}`).join(" ");
    return s(
      "g",
      { class: "chart-series", "data-area": area, "data-colour": style.colour, "data-shape": style.shape },
      placed.length > 1 ? s("path", { d: path, fill: "none", stroke: style.colour, "stroke-width": 2, class: "chart-line" }) : null,
      placed.map(({ point, px }) =>
        s(
          "g",
          {
            class: "chart-point",
            "data-area": area,
            "data-date": point.date,
            "data-score": point.score,
            "data-grade": point.grade,
            "data-cited": String(point.event === "cited-judgement"),
            "data-cited-by": point.citedBy.join(" "),
            "data-x": px.toFixed(1),
            "data-y": y(area, point.score).toFixed(1),
          },
          s(
            "title",
            {},
            `${formatDate(point.date)}, ${areaLabel(area)}: ${gradeLabel.get(point.score)} (${point.score})${
              point.event === "cited-judgement" ? ", known only as cited by a later report" : point.citedBy.length ? ", also cited by a later report" : ""
            }`,
          ),
          marker(style.shape, px, y(area, point.score), 5, {
            fill: point.event === "cited-judgement" ? "#ffffff" : style.colour,
            stroke: style.colour,
            "stroke-width": 2,
          }),
        ),
      ),
    );
  });

  const titleId = "grade-chart-title";
  const descId = "grade-chart-desc";
  const overall = points.filter((point) => point.area === "overall-effectiveness");
  const description = overall.length
    ? `Overall effectiveness: ${overall.map((point) => `${point.date} ${gradeLabel.get(point.score)}${point.event === "cited-judgement" ? " (cited)" : ""}`).join("; ")}. The grid above gives every grade.`
    : "No overall effectiveness grades. The grid above gives every grade.";
  const svg = s(
    "svg",
    { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": `${titleId} ${descId}`, class: "chart chart--timeline", "data-points": points.length },
    s("title", { id: titleId }, `Grades of ${timeline.authority.name} over time, one lane per judgement area, 1 outstanding at the top of each lane to 4 inadequate at its foot`),
    s("desc", { id: descId }, description),
    axis,
    events,
    series,
  );

  const key = (shape, attributes) => s("svg", { viewBox: "0 0 20 20", width: 20, height: 20, "aria-hidden": "true", class: "legend__key" }, marker(shape, 10, 10, 6, attributes));
  const legend = h(
    "ul",
    { class: "legend", "aria-label": "Markers" },
    h("li", {}, key("circle", { fill: "#1b1b1b", stroke: "#1b1b1b", "stroke-width": 2 }), "Filled: the inspection's own grade"),
    h("li", {}, key("circle", { fill: "#ffffff", stroke: "#1b1b1b", "stroke-width": 2 }), "Hollow: known only from a later report's citation"),
    h("li", {}, key("triangle", { class: "chart-event" }), "Inspection or visit (outlined: no grades)"),
  );

  const rows = timeline.items.flatMap((item) => {
    if (item.event === "inspection") {
      if (!item.judgements.length) return [[item.date, item.type_label, "No grades", "", ""]];
      return item.judgements.map((judgement) => [item.date, item.type_label, areaLabel(judgement.area), judgement.grade_label || gradeLabel.get(judgement.score) || "", judgement.score ?? ""]);
    }
    const citation = citations.find((entry) => entry.item === item);
    const what = citation && citation.sameAs
      ? `Cited by a later report (inspection ${item.cited_by.inspection_id}): the grade of the ${formatDate(citation.sameAs.date)} inspection`
      : `Cited by a later report (inspection ${item.cited_by.inspection_id}): no inspection of that date is loaded`;
    const judgement = item.judgement;
    return [[item.date, what, areaLabel(judgement.area), judgement.grade_label || gradeLabel.get(judgement.score) || "", judgement.score ?? ""]];
  });
  const table = h(
    "table",
    { class: "data-table", id: "grade-table" },
    h("caption", {}, `Every inspection, visit and grade of ${timeline.authority.name}, with the grades later reports cite; the score is on the one scale, 1 outstanding to 4 inadequate, the grade in the report's own words`),
    h("thead", {}, h("tr", {}, ["Date", "Inspection or source", "Judgement area", "Grade as written", "Score"].map((text) => h("th", { scope: "col" }, text)))),
    h("tbody", {}, rows.map((row) => h("tr", {}, row.map((cell, index) => (index === 0 ? h("th", { scope: "row" }, formatDate(cell)) : h("td", {}, cell)))))),
  );
  const grid = gradeGrid(timeline, points, areas, areaLabel, gradeLabel);
  return { svg, legend, table, grid, points };
}

/** Share (0-1) of an authority's findings that carry each theme. */
function shares(themes, findings) {
  return Object.fromEntries(Object.entries(themes).map(([theme, count]) => [theme, findings ? count / findings : 0]));
}

function percent(share) {
  return `${Math.round(share * 100)}%`;
}

/** The theme profile: for each theme, the share of the authority's findings that carry
 * it beside the same share over its statistical neighbours' findings pooled (neighbours
 * with no findings loaded are left out). Themes in order of the authority's share. */
export function themeProfileChart(neighbours, themeLabels) {
  const subject = neighbours.authority;
  const peers = neighbours.neighbours.filter((peer) => peer.findings > 0);
  const pooledFindings = peers.reduce((sum, peer) => sum + peer.findings, 0);
  const pooled = {};
  for (const theme of Object.keys(subject.themes)) pooled[theme] = peers.reduce((sum, peer) => sum + (peer.themes[theme] || 0), 0);
  const mine = shares(subject.themes, subject.findings);
  const theirs = shares(pooled, pooledFindings);
  const themes = Object.keys(subject.themes).sort((a, b) => mine[b] - mine[a] || theirs[b] - theirs[a] || a.localeCompare(b));
  const label = (theme) => themeLabels.get(theme) || prettify(theme);

  const width = 760;
  const rowHeight = peers.length ? 44 : 30;
  const top = 8;
  const left = 8;
  const barLeft = 300;
  const right = 60;
  const height = top + themes.length * rowHeight + 8;
  const maximum = Math.max(0.1, ...Object.values(mine), ...Object.values(theirs));
  const scale = Math.ceil(maximum * 10) / 10;
  const bar = (share) => (share / scale) * (width - barLeft - right);
  const rows = themes.map((theme, index) => {
    const y0 = top + index * rowHeight;
    const pair = [[subject.name, mine[theme], "chart-bar--subject", subject.themes[theme]]];
    if (peers.length) pair.push(["Neighbours", theirs[theme], "chart-bar--neighbours", pooled[theme]]);
    return s(
      "g",
      { class: "chart-theme", "data-theme": theme, "data-share": mine[theme].toFixed(4), "data-neighbours-share": peers.length ? theirs[theme].toFixed(4) : null },
      s("text", { x: left, y: y0 + 16, class: "chart-label" }, label(theme)),
      pair.map(([who, share, kind, count], barIndex) => {
        const y = y0 + 4 + barIndex * 18;
        return s(
          "g",
          { class: "chart-bar-row" },
          s("title", {}, `${label(theme)}: ${who} ${percent(share)} (${count} findings)`),
          s("rect", { x: barLeft, y, width: Math.max(1, bar(share)).toFixed(1), height: 14, class: `chart-bar ${kind}` }),
          s("text", { x: barLeft + bar(share) + 6, y: y + 11, class: "chart-value" }, percent(share)),
        );
      }),
    );
  });
  const titleId = "theme-chart-title";
  const descId = "theme-chart-desc";
  const top3 = themes.slice(0, 3).map((theme) => `${label(theme)} ${percent(mine[theme])}`).join("; ");
  const svg = s(
    "svg",
    { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": `${titleId} ${descId}`, class: "chart chart--themes", "data-themes": themes.length },
    s("title", { id: titleId }, `Share of findings per theme: ${subject.name}${peers.length ? " beside its statistical neighbours" : ""}`),
    s("desc", { id: descId }, `Most frequent themes of ${subject.name}: ${top3}. The table below gives every count.`),
    rows,
  );
  const legend = h(
    "ul",
    { class: "legend", "aria-label": "Bars" },
    h("li", {}, s("svg", { viewBox: "0 0 20 20", width: 20, height: 20, "aria-hidden": "true", class: "legend__key" }, s("rect", { x: 2, y: 4, width: 16, height: 12, class: "chart-bar chart-bar--subject" })), `${subject.name} (${subject.findings} findings)`),
    peers.length
      ? h(
          "li",
          {},
          s("svg", { viewBox: "0 0 20 20", width: 20, height: 20, "aria-hidden": "true", class: "legend__key" }, s("rect", { x: 2, y: 4, width: 16, height: 12, class: "chart-bar chart-bar--neighbours" })),
          `Statistical neighbours with findings, pooled: ${peers.map((peer) => peer.name).join(", ")} (${pooledFindings} findings)`,
        )
      : null,
  );
  const columns = [subject, ...peers];
  const table = h(
    "table",
    { class: "data-table", id: "theme-table" },
    h("caption", {}, `Findings per theme, ${subject.name} and its statistical neighbours with findings loaded (a finding can have several themes)`),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Theme"), columns.map((column) => h("th", { scope: "col" }, column.name)))),
    h(
      "tbody",
      {},
      themes.map((theme) => h("tr", {}, h("th", { scope: "row" }, label(theme)), columns.map((column) => h("td", {}, `${column.themes[theme]} (${percent(column.findings ? column.themes[theme] / column.findings : 0)})`)))),
      h("tr", {}, h("th", { scope: "row" }, "Findings"), columns.map((column) => h("td", {}, String(column.findings)))),
    ),
  );
  return { svg, legend, table, peers };
}
