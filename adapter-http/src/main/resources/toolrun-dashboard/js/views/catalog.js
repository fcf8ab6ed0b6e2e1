import {all, api} from '../api.js';
import {h, json, time} from '../dom.js';
import {errorRegion, showError} from './errors.js';

/** The tool catalog: each tool's latest version, its spec, and its other versions on demand. */
export function catalogView(container) {
  document.title = 'Catalog · toolrun';
  const errors = errorRegion();
  const list = h('div', {class: 'cards', 'aria-busy': 'true'});
  container.append(h('h1', {}, 'Tool catalog'), errors, list);
  all('/v1/tools')
    .then((tools) => {
      list.replaceChildren(...(tools.length
        ? tools.map(toolCard)
        : [h('p', {}, 'No tools are registered yet (PUT /v1/tools/{name}, or toolrun tools apply).')]));
    })
    .catch((error) => showError(errors, error))
    .finally(() => list.removeAttribute('aria-busy'));
}

function toolCard(tool) {
  const id = `tool-${tool.name}`;
  const versions = h('div', {class: 'versions'});
  const versionsBox = h('details', {ontoggle: () => loadVersions(tool, versions, versionsBox)},
    h('summary', {}, 'All versions'), versions);
  return h('article', {class: 'card', 'aria-labelledby': id},
    h('header', {},
      h('h2', {id}, tool.name),
      h('span', {class: 'tag'}, tool.mode),
      h('span', {class: 'tag'}, `version ${tool.version}`)),
    tool.description ? h('p', {}, tool.description) : null,
    h('p', {class: 'meta'}, 'Registered ', time(tool.registeredAt)),
    specSummary(tool.spec),
    h('p', {}, h('a', {class: 'button', href: `#/launch/${encodeURIComponent(tool.name)}`},
      `Launch ${tool.name}`)),
    h('details', {class: 'spec'}, h('summary', {}, `Spec of version ${tool.version}`), json(tool.spec)),
    versionsBox);
}

/** What a reader looks for first in a spec: what runs, for how long, and what it takes. */
function specSummary(spec) {
  const workload = spec.image?.name ? `image ${spec.image.name}`
    : spec.script ? `${spec.script.language} script` : '';
  const inputs = Object.keys(spec.inputSchema?.properties ?? {});
  const required = new Set(spec.inputSchema?.required ?? []);
  return h('dl', {class: 'spec-summary'},
    h('dt', {}, 'Runs'), h('dd', {}, workload),
    spec.timeoutSeconds ? [h('dt', {}, 'Timeout'), h('dd', {}, `${spec.timeoutSeconds} s`)] : null,
    h('dt', {}, 'Parameters'), h('dd', {}, spec.inputSchema
      ? (inputs.length ? inputs.map((n) => (required.has(n) ? `${n} (required)` : n)).join(', ')
        : 'none')
      : 'any JSON object (no input schema)'),
    spec.secretInputs?.length
      ? [h('dt', {}, 'Secret inputs'), h('dd', {}, spec.secretInputs.join(', '))] : null);
}

async function loadVersions(tool, target, box) {
  if (!box.open || target.childElementCount) return;
  const errors = errorRegion();
  target.append(errors);
  try {
    const {items} = await api(`/v1/tools/${encodeURIComponent(tool.name)}/versions`);
    target.append(h('ol', {class: 'version-list'}, items.map((v) =>
      h('li', {},
        h('details', {},
          h('summary', {}, `Version ${v.version}`, ' · ', time(v.registeredAt),
            v.description ? ` · ${v.description}` : ''),
          json(v.spec))))));
  } catch (error) {
    showError(errors, error);
  }
}
