// Small helpers to build DOM and SVG nodes without innerHTML (text is always text).

const SVG_NS = "http://www.w3.org/2000/svg";

function apply(element, attributes) {
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") element.setAttribute("class", value);
    else if (name === "text") element.textContent = value;
    else if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
}

/** An HTML element: h("a", {href: "#/", class: "x"}, "text", otherNode). */
export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  apply(element, attributes);
  append(element, children);
  return element;
}

/** An SVG element, the same way. */
export function s(tag, attributes, ...children) {
  const element = document.createElementNS(SVG_NS, tag);
  apply(element, attributes);
  append(element, children);
  return element;
}

export function clear(element) {
  element.replaceChildren();
  return element;
}

const numbers = new Intl.NumberFormat("en-GB");

export function formatNumber(value) {
  return numbers.format(value);
}

/** "within-3-months" -> "Within 3 months": for ids the API gives no label for. */
export function prettify(id) {
  const words = String(id).replaceAll("-", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "2013-03-11" -> "11 March 2013"; "2019-11" -> "November 2019"; "2019" -> "2019". */
export function formatDate(text) {
  if (!text) return "";
  const [year, month, day] = String(text).split("-").map(Number);
  if (!month) return String(year);
  const date = new Date(Date.UTC(year, month - 1, day || 1));
  const options = day
    ? { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }
    : { month: "long", year: "numeric", timeZone: "UTC" };
  return date.toLocaleDateString("en-GB", options);
}

/** Text with the API's <mark> highlighting kept and everything else as plain text. The
 * API escapes snippets; parsing them in an inert <template> keeps only text and <mark>. */
export function markedText(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  const fragment = document.createDocumentFragment();
  for (const node of template.content.childNodes) {
    if (node.nodeName === "MARK") fragment.append(h("mark", {}, node.textContent));
    else fragment.append(node.textContent);
  }
  return fragment;
}
