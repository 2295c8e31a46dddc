/**
 * The page's script, served as /page.js. Plain browser JavaScript in a string (the worker has no build
 * step for browser code). It builds every node with createElement and textContent, never innerHTML,
 * so API text is never parsed as markup and the CSP can require Trusted Types.
 *
 * State: each tool's form fields are the URL query (`?tool=lookup&path=...&method=GET`). Submitting
 * pushes the URL and asks the API; loading or going back to a URL with state asks again.
 */
export const PAGE_JS = String.raw`(() => {
'use strict';
const TOOLS = {
  lookup: { key: 'path', fields: ['path', 'method'] },
  diff: { key: 'scopes', fields: ['scopes', 'endpoints'] },
  plan: { key: 'endpoints', fields: ['endpoints', 'prefer'] },
  scope: { key: 'scope', fields: ['scope', 'product'] },
};
const NAMES = Object.keys(TOOLS);
const shown = {};
const runs = {};
const $ = (selector, root) => (root || document).querySelector(selector);

function h(tag, attrs, ...kids) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const kid of kids.flat(9)) if (kid !== null && kid !== undefined && kid !== false && kid !== '') node.append(kid);
  return node;
}
const plural = (count, one, many) => count + ' ' + (count === 1 ? one : many || one + 's');
const enc = (value) => encodeURIComponent(value).replace(/%2F/g, '/').replace(/%3A/g, ':').replace(/%20/g, '+');

/** The page URL (query) for a tool's values. */
function stateUrl(tool, values) {
  let query = '?tool=' + tool;
  for (const field of TOOLS[tool].fields) {
    const value = (values[field] || '').trim();
    if (value) query += '&' + field + '=' + enc(value);
  }
  return query;
}
const link = (tool, values, ...kids) => h('a', { href: stateUrl(tool, values) }, ...kids);
const scopeLink = (scope) => link('scope', { scope }, h('code', { text: scope }));
const endpointLink = (method, path) => link('lookup', { path, method }, h('span', { class: 'm', text: method }), ' ', h('code', { text: path }));
const set = (scopes) => h('span', { class: 'set' }, scopes.map((scope, index) => [index ? ' + ' : '', scopeLink(scope)]));
const tag = (text) => h('span', { class: 'tag', text });
const list = (items, cls) => (items && items.length ? h('ul', { class: cls }, items.map((item) => h('li', { text: item }))) : null);
const docs = (item) => (/^https:[/][/]/.test(item.docsUrl || '') ? h('p', {}, h('a', { href: item.docsUrl, rel: 'noopener' }, 'Docs: ' + (item.summary || item.method + ' ' + item.path))) : null);
const catalogLine = (catalog) => h('p', { class: 'catalog', text: 'Catalog ' + catalog.version + (catalog.source === 'snapshot' ? ' (the snapshot bundled with the worker)' : '') });

function read(tool) {
  const form = $('#' + tool + ' form');
  const values = {};
  for (const field of TOOLS[tool].fields) values[field] = form.elements[field].value;
  return values;
}

/** An API answer, or a thrown {code, message, details} worded as the API words it. */
async function api(url, init) {
  let response;
  try {
    response = await fetch(url, Object.assign({ headers: { accept: 'application/json' } }, init));
  } catch (error) {
    throw { code: 'network', message: 'Could not reach the Scope Catalog API (' + error.message + '). Check the connection and try again.' };
  }
  const text = await response.text();
  let body = null;
  try { body = JSON.parse(text); } catch (error) { body = null; }
  if (response.ok && body) return body;
  if (body && body.error && body.error.message) throw body.error;
  throw { code: 'http_' + response.status, message: 'The API answered ' + response.status + ' ' + response.statusText + (text ? ': ' + text.slice(0, 300) : '') };
}

/** Links for an error's suggestions (paths or scopes) or, for a wrong method, the methods the path takes. */
function suggestions(error, tool, values) {
  const details = error.details || {};
  if (Array.isArray(details.suggestions) && details.suggestions.length) {
    const items = details.suggestions.map((item) => h('li', {}, tool === 'scope'
      ? link('scope', { scope: item, product: values.product }, h('code', { text: item }))
      : link('lookup', { path: item, method: values.method }, h('code', { text: item }))));
    return h('div', { class: 'suggestions' }, h('p', { text: 'Did you mean:' }), h('ul', {}, items));
  }
  if (Array.isArray(details.methods) && details.path) {
    const items = details.methods.map((method) => h('li', {}, endpointLink(method, details.path)));
    return h('div', { class: 'suggestions' }, h('p', { text: 'It takes:' }), h('ul', {}, items));
  }
  return null;
}

function alternatives(alts) {
  if (!alts.length) return h('p', { class: 'warn', text: 'Its documents publish no OAuth scopes.' });
  return h('div', {},
    h('p', { text: alts.length > 1 ? 'Needs one of these sets (every scope in the set):' : 'Needs every scope of:' }),
    h('ul', { class: 'alts' }, alts.map((alt) => h('li', {}, set(alt.scopes), tag(alt.kind + ', ' + alt.state)))));
}

function endpointCard(endpoint) {
  return h('article', { class: 'card' },
    h('h4', {}, h('span', { class: 'm', text: endpoint.method }), ' ', h('code', { text: endpoint.path })),
    h('p', { class: 'meta' }, [endpoint.product, endpoint.summary].filter(Boolean).join(' · '), endpoint.deprecated ? tag('deprecated') : null, endpoint.experimental ? tag('experimental') : null),
    alternatives(endpoint.alternatives),
    list(endpoint.notes, 'notes'),
    docs(endpoint));
}

/** A "Show more" button that fetches the next page and appends its items to the list. */
function more(target, cursor, next) {
  if (!cursor) return null;
  const button = h('button', { type: 'button', class: 'more', text: 'Show more' });
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const page = await next(cursor);
      target.append(...page.items);
      const again = more(target, page.cursor, next);
      if (again) button.replaceWith(again); else button.remove();
      const first = page.items[0] && page.items[0].querySelector('a');
      if (first) first.focus();
    } catch (error) {
      button.replaceWith(h('p', { class: 'status err', text: error.message }));
    }
  });
  return button;
}

const RUN = {
  async lookup(values) {
    const query = new URLSearchParams({ path: values.path.trim() });
    if (values.method) query.set('method', values.method);
    const data = await api('/scopes?' + query);
    const first = data.endpoints[0];
    return {
      status: plural(data.endpoints.length, 'endpoint') + ' ' + (data.endpoints.length === 1 ? 'matches ' : 'match ') + data.query.matchedPath,
      title: data.endpoints.length === 1 ? first.method + ' ' + first.path : data.query.matchedPath,
      nodes: [list(data.notes, 'notes'), data.endpoints.map(endpointCard), catalogLine(data.catalog)],
    };
  },

  async diff(values) {
    let scopes = values.scopes.trim();
    if (/^[[{]/.test(scopes)) {
      try { scopes = JSON.parse(scopes); } catch (error) {
        throw { code: 'invalid_json', message: 'The scopes start like JSON but do not parse (' + error.message + '). Paste the admin API answer as it came, or scope names separated by spaces.' };
      }
    }
    const body = { scopes };
    const endpoints = values.endpoints.split('\n').map((line) => line.trim()).filter(Boolean);
    if (endpoints.length) body.endpoints = endpoints;
    const post = (extra) => api('/diff', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(Object.assign({}, body, extra)) });
    const data = await post({});
    const tokens = data.tokens || [data];
    const many = Boolean(data.tokens);
    const nodes = tokens.map((token, index) => tokenView(token, many, (cursor) => post({ cursor }).then((next) => {
      const callable = (next.tokens || [next])[index].callable;
      return { items: callable.endpoints.map(callableItem), cursor: callable.nextCursor };
    })));
    let status;
    if (tokens[0].callable) status = many ? plural(tokens.length, 'token') + ': what each can call' : 'These scopes can call ' + plural(tokens[0].callable.total, 'endpoint');
    else if (many) status = plural(tokens.length, 'token') + ' checked: ' + tokens.filter((token) => token.summary.unsatisfied === 0 && token.summary.errors === 0).length + ' can call every endpoint';
    else {
      const summary = tokens[0].summary;
      status = summary.unsatisfied || summary.errors
        ? [summary.unsatisfied ? plural(summary.unsatisfied, 'endpoint') + ' missing scopes' : '', summary.errors ? plural(summary.errors, 'endpoint') + ' not found' : ''].filter(Boolean).join(', ') + ' (of ' + (summary.checked + summary.errors) + ')'
        : 'The scopes cover ' + (summary.checked === 1 ? 'the endpoint' : 'all ' + summary.checked + ' endpoints');
    }
    return { status, title: 'Token diff', nodes: [nodes, catalogLine(data.catalog)] };
  },

  async plan(values) {
    const query = values.prefer ? '?prefer=' + encodeURIComponent(values.prefer) : '';
    const data = await api('/plan' + query, { method: 'POST', headers: { 'content-type': 'text/plain', accept: 'application/json' }, body: values.endpoints });
    const copy = h('button', { type: 'button', class: 'copy', text: 'Copy scopes' });
    const copied = h('span', { class: 'copied', role: 'status' });
    copy.addEventListener('click', () => copyText(data.scopes.join(' '), copied, 'Scopes'));
    const nodes = [
      h('h4', { text: 'Scopes to request (' + data.scopes.length + ')' }),
      h('ul', { class: 'scopes' }, data.scopes.map((scope) => h('li', {}, scopeLink(scope)))),
      h('p', {}, copy, ' ', copied),
      data.optimal ? null : h('p', { class: 'warn', text: 'The search stopped early: this is the best plan found; no plan has fewer than ' + data.lowerBound + ' scopes.' }),
    ];
    if (data.tokens) {
      nodes.push(h('h4', { text: 'Over ' + data.maxScopes + ' scopes: split over ' + plural(data.tokens.length, 'token') }));
      nodes.push(h('ol', {}, data.tokens.map((token) => h('li', {}, set(token.scopes), list(token.endpoints, 'notes')))));
    }
    if (data.endpoints.length) {
      nodes.push(h('h4', { text: 'Per endpoint' }));
      nodes.push(h('ul', { class: 'plain' }, data.endpoints.map((item) => h('li', {}, endpointLink(item.method, item.path), h('br'), set(item.chosen.scopes), tag(item.chosen.kind + ', ' + item.chosen.state)))));
    }
    if (data.withoutScopes.length) {
      nodes.push(h('h4', { text: 'No scopes published' }));
      nodes.push(h('ul', { class: 'plain' }, data.withoutScopes.map((item) => h('li', {}, endpointLink(item.method, item.path)))));
    }
    if (data.unmatched.length) {
      nodes.push(h('h4', { text: 'Not found' }));
      nodes.push(h('ul', { class: 'plain' }, data.unmatched.map((item) => h('li', {},
        h('code', { text: ((item.input.method || '') + ' ' + item.input.path).trim() }),
        h('p', { class: 'warn', text: item.error.message }),
        suggestions(item.error, 'lookup', { method: item.input.method || '' })))));
    }
    nodes.push(list(data.notes, 'notes'), catalogLine(data.catalog));
    const planned = data.endpoints.length + data.withoutScopes.length;
    return {
      status: plural(data.scopes.length, 'scope') + ' for ' + plural(planned, 'endpoint') + (data.unmatched.length ? '; ' + data.unmatched.length + ' not found' : ''),
      title: 'Plan: ' + plural(data.scopes.length, 'scope'),
      nodes,
    };
  },

  async scope(values) {
    const query = new URLSearchParams({ scope: values.scope.trim() });
    if (values.product) query.set('product', values.product);
    const page = (cursor) => api('/endpoints?' + query + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
    const data = await page();
    const uses = h('ul', { class: 'plain' }, data.endpoints.map(useItem));
    return {
      status: data.scope.name + ' appears in ' + plural(data.total, 'endpoint'),
      title: data.scope.name,
      nodes: [
        h('h4', {}, h('code', { text: data.scope.name }), tag(data.scope.kind), tag(data.scope.product)),
        data.scope.description ? h('p', { text: data.scope.description }) : null,
        uses,
        more(uses, data.nextCursor, (cursor) => page(cursor).then((next) => ({ items: next.endpoints.map(useItem), cursor: next.nextCursor }))),
        catalogLine(data.catalog),
      ],
    };
  },
};

function useItem(use) {
  return h('li', {},
    endpointLink(use.method, use.path), use.summary ? ' ' + use.summary : '', use.deprecated ? tag('deprecated') : null,
    h('br'),
    use.alone ? h('span', { class: 'meta', text: 'This scope alone suffices.' })
      : use.sets.map((item, index) => h('span', { class: 'meta' }, index ? ' or ' : 'Together with ', item.companions.length ? set(item.companions) : 'nothing else')));
}

const callableItem = (item) => h('li', {}, endpointLink(item.method, item.path), item.summary ? ' ' + item.summary : '');

function checkItem(result) {
  const input = ((result.input.method || '') + ' ' + result.input.path).trim();
  if (result.error) {
    return h('li', { class: 'error' },
      h('p', {}, h('span', { class: 'badge b-error', text: 'Not found' }), ' ', h('code', { text: input })),
      h('p', { class: 'warn', text: result.error.message }),
      suggestions(result.error, 'lookup', { method: result.input.method || '' }));
  }
  const state = result.satisfied === true ? 'ok' : result.satisfied === false ? 'missing' : 'unknown';
  const label = { ok: 'OK', missing: 'Missing', unknown: 'No scopes published' }[state];
  return h('li', { class: state },
    h('p', {}, h('span', { class: 'badge b-' + state, text: label }), ' ', endpointLink(result.method, result.path), result.summary ? ' ' + result.summary : ''),
    state === 'ok' ? h('p', {}, 'Satisfied by ', set(result.satisfiedBy.scopes)) : null,
    state === 'missing' ? h('p', { class: 'add' }, 'Add ', set(result.missing)) : null,
    state === 'missing' && result.alternatives.length > 1
      ? h('details', {}, h('summary', { text: 'Each alternative' }), h('ul', {}, result.alternatives.map((alt) => h('li', {}, set(alt.scopes), tag(alt.kind + ', ' + alt.state), ' missing ', set(alt.missing)))))
      : null,
    list(result.hints, 'hints'),
    docs(result));
}

function tokenView(token, many, nextPage) {
  const nodes = [];
  if (many) nodes.push(h('h4', {}, 'Token ' + (token.label || token.id || '(unnamed)'), tag(plural(token.scopes.length, 'scope'))));
  for (const unknown of token.unknownScopes) {
    nodes.push(h('p', { class: 'warn' }, 'Not a scope in the catalog: ', h('code', { text: unknown.scope }),
      unknown.suggestions.length ? [' (did you mean ', unknown.suggestions.map((item, index) => [index ? ', ' : '', scopeLink(item)]), '?)'] : ''));
  }
  if (token.results) nodes.push(h('ul', { class: 'plain checks' }, token.results.map(checkItem)));
  if (token.unusedScopes && token.unusedScopes.length) {
    nodes.push(h('p', { class: 'unused' }, 'Not used by these endpoints: ', token.unusedScopes.map((scope, index) => [index ? ', ' : '', scopeLink(scope)])));
  }
  if (token.callable) {
    const counts = Object.entries(token.callable.byProduct).map(([product, count]) => product + ' ' + count).join(', ');
    const items = h('ul', { class: 'plain' }, token.callable.endpoints.map(callableItem));
    nodes.push(h('p', { text: 'Can call ' + plural(token.callable.total, 'endpoint') + (counts ? ': ' + counts : '') }), items, more(items, token.callable.nextCursor, nextPage));
  }
  return many ? h('div', { class: 'card' }, nodes) : nodes;
}

async function copyText(text, where, what) {
  try {
    await navigator.clipboard.writeText(text);
    where.textContent = what + ' copied.';
  } catch (error) {
    const field = h('input', { type: 'text', readonly: true, value: text, 'aria-label': what });
    where.replaceChildren('Copy from here: ', field);
    field.select();
    field.focus();
  }
}

/**
 * Asks the API for the tool's current form values and shows the answer (or the API's error). The URL
 * is the state this answers; a submitted form pushes it once the answer is in, unless the API found
 * a credential in it: a secret must not stay in the address bar, the history or a copied link.
 */
async function run(tool, url, { push = false, focus = false } = {}) {
  const section = $('#' + tool);
  const status = $('.status', section);
  const box = $('.result', section);
  const head = $('.result-head', section);
  const out = $('.out', section);
  const id = (runs[tool] = (runs[tool] || 0) + 1);
  const values = read(tool);
  shown[tool] = url;
  status.classList.remove('err');
  status.textContent = 'Asking the catalog…';
  box.setAttribute('aria-busy', 'true');
  let view;
  try {
    view = await RUN[tool](values);
  } catch (error) {
    const problem = error && error.message ? error : { message: String(error) };
    view = { status: problem.message, error: true, code: problem.code, title: 'Error', nodes: [suggestions(problem, tool, values)] };
  }
  if (id !== runs[tool]) return;
  if (view.code === 'credential_detected') {
    shown[tool] = '?tool=' + tool;
    if (!section.hidden) history.replaceState(null, '', shown[tool]);
  } else if (push && !section.hidden && url !== location.search) {
    history.pushState(null, '', url);
  }
  box.removeAttribute('aria-busy');
  status.classList.toggle('err', Boolean(view.error));
  status.textContent = view.status;
  $('.copied', head).textContent = '';
  out.replaceChildren(...[view.nodes].flat(9).filter(Boolean));
  head.hidden = false;
  document.title = view.title + ' · Scope Catalog';
  if (focus) $('h3', head).focus();
}

function showTool(tool) {
  for (const name of NAMES) {
    $('#' + name).hidden = name !== tool;
    const tab = $('nav a[data-tool="' + name + '"]');
    if (name === tool) tab.setAttribute('aria-current', 'page'); else tab.removeAttribute('aria-current');
  }
}

/** Shows what the URL says: the tool, its fields, and its answer when the URL holds state. */
function applyUrl(focus) {
  const query = new URLSearchParams(location.search);
  const asked = query.get('tool');
  const tool = NAMES.includes(asked) ? asked : query.get('scope') && !query.get('path') ? 'scope' : 'lookup';
  showTool(tool);
  if (!query.get(TOOLS[tool].key)) {
    if (!shown[tool]) document.title = 'Scope Catalog';
    return;
  }
  const form = $('#' + tool + ' form');
  for (const field of TOOLS[tool].fields) {
    const input = form.elements[field];
    let value = query.get(field) || '';
    if (input.tagName === 'SELECT') {
      if (field === 'method') value = value.toUpperCase();
      if (![...input.options].some((option) => option.value === value)) value = '';
    }
    input.value = value;
  }
  if (shown[tool] !== location.search) run(tool, location.search, { focus });
}

function go(url, focus) {
  if (url !== location.search) history.pushState(null, '', url);
  applyUrl(focus);
}

for (const tool of NAMES) {
  $('#' + tool + ' form').addEventListener('submit', (event) => {
    event.preventDefault();
    run(tool, stateUrl(tool, read(tool)), { push: true });
  });
}

document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const target = event.target.closest('a[href^="?"], button[data-copy]');
  if (!target) return;
  if (target.tagName === 'BUTTON') {
    copyText(location.href, $('.copied', target.parentNode), 'Link');
    return;
  }
  event.preventDefault();
  const tool = target.getAttribute('data-tool');
  if (tool) go(shown[tool] || '?tool=' + tool, false);
  else go(target.getAttribute('href'), true);
});

document.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && event.target.tagName === 'TEXTAREA') {
    event.preventDefault();
    event.target.form.requestSubmit();
  }
});

addEventListener('popstate', () => applyUrl(false));
applyUrl(false);
})();
`;
