// Building DOM nodes without a framework.

/** @param {string} tag @param {Record<string, string>} attrs @param {...(Node|string)} children */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}
