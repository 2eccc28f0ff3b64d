// Builds elements from data without ever parsing it as HTML: statement text, reasons and result
// values are whatever agents and approvers typed, so they only ever become text nodes.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'className') element.className = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function replace(container, ...children) {
  container.replaceChildren(...children.flat().filter((child) => child !== null && child !== undefined));
}

export function badge(word) {
  return h('span', { className: 'badge ' + String(word).replace(/\s+/g, '_') }, String(word).replace(/_/g, ' '));
}

export function since(isoTime) {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(isoTime)) / 1000));
  if (seconds < 60) return seconds + ' s';
  if (seconds < 3600) return Math.floor(seconds / 60) + ' min ' + (seconds % 60) + ' s';
  return Math.floor(seconds / 3600) + ' h ' + Math.floor((seconds % 3600) / 60) + ' min';
}

export function time(isoTime) {
  return isoTime ? new Date(isoTime).toLocaleString() : '';
}

export function definitions(pairs) {
  return h('dl', { className: 'grid' }, pairs.filter(([, value]) => value !== null && value !== undefined && value !== '')
    .flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]));
}
