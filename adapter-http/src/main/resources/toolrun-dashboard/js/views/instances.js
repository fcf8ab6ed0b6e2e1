import {all, signOutIfRefused} from '../api.js';
import {h, stateBadge, time} from '../dom.js';
import {follow} from '../sse.js';
import {actionButtons} from './actions.js';
import {errorRegion, showError} from './errors.js';

const STATES = ['PENDING', 'CREATING', 'STARTING', 'RUNNING', 'SERVING', 'STOPPING',
  'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'STOPPED'];

/**
 * The instances, newest first, live: the watch stream's snapshot, then each change as it happens
 * (no polling). The filters (tool, state) are the watch's own, kept in the address.
 */
export function instancesView(container, {query}) {
  document.title = 'Instances · toolrun';
  const tool = query.get('tool') ?? '';
  const state = query.get('state') ?? '';
  const errors = errorRegion();
  const live = h('p', {id: 'live', class: 'live', role: 'status', 'aria-live': 'polite'},
    'Connecting…');
  const toolSelect = h('select', {id: 'filter-tool', name: 'tool'},
    h('option', {value: ''}, 'All tools'), tool ? h('option', {value: tool, selected: true}, tool) : null);
  const stateSelect = h('select', {id: 'filter-state', name: 'state'},
    h('option', {value: ''}, 'All states'),
    STATES.map((s) => h('option', {value: s, selected: s === state}, s)));
  const filters = h('form', {class: 'filters', role: 'search', 'aria-label': 'Filter instances',
    onchange: applyFilters, onsubmit: (e) => { e.preventDefault(); applyFilters(); }},
    h('label', {for: 'filter-tool'}, 'Tool'), toolSelect,
    h('label', {for: 'filter-state'}, 'State'), stateSelect);
  const body = h('tbody');
  const table = h('table', {class: 'instances'},
    h('caption', {class: 'visually-hidden'}, 'Instances, newest first'),
    h('thead', {}, h('tr', {},
      ['Instance', 'Tool', 'Version', 'State', 'Created', 'Details', 'Actions']
        .map((c) => h('th', {scope: 'col'}, c)))),
    body);
  container.append(h('h1', {}, 'Instances'), filters, live, errors, table);

  all('/v1/tools').then((tools) => {
    for (const t of tools) {
      if (t.name !== tool) toolSelect.append(h('option', {value: t.name}, t.name));
    }
  }).catch(() => {});

  function applyFilters() {
    const next = new URLSearchParams();
    if (toolSelect.value) next.set('tool', toolSelect.value);
    if (stateSelect.value) next.set('state', stateSelect.value);
    const text = next.toString();
    location.hash = text ? `#/instances?${text}` : '#/instances';
  }

  const rows = new Map();
  let synced = false;
  const path = '/v1/instances' + (query.toString() ? `?${query}` : '');
  const stream = follow(path, {
    onOpen: () => {
      // Each connection starts with a whole snapshot: what was shown before is rebuilt from it.
      rows.clear();
      body.replaceChildren();
      synced = false;
      table.removeAttribute('data-synced');
    },
    onEvent: ({type, data}) => {
      if (type === 'synced') {
        synced = true;
        table.dataset.synced = 'true';
        live.textContent = `Live: ${JSON.parse(data).instances} instances; changes appear as they happen.`;
      } else if (type === 'instance') {
        const instance = JSON.parse(data);
        upsert(instance);
        if (synced) live.textContent = `${instance.tool} ${instance.id} is ${instance.state}.`;
      }
    },
    onBreak: () => { live.textContent = 'Connection lost; reconnecting…'; },
    onError: (error) => { signOutIfRefused(error); showError(errors, error); },
  });

  function upsert(instance) {
    rows.get(instance.id)?.remove();
    if (state && instance.state !== state) {
      // It left the filter: it is sent once more, in its new state, and then no longer shown.
      rows.delete(instance.id);
      return;
    }
    const row = instanceRow(instance, errors);
    rows.set(instance.id, row);
    // Newest first: before the first row created earlier than this one.
    const created = Date.parse(instance.createdAt);
    const later = [...body.children].find((r) => Date.parse(r.dataset.created) < created);
    body.insertBefore(row, later ?? null);
  }

  return () => stream.close();
}

function instanceRow(instance, errors) {
  const detail = instance.failure ? `${instance.failure.kind}: ${instance.failure.message}`
    : instance.queuePosition != null ? `queued, position ${instance.queuePosition}`
    : instance.exitCode != null ? `exit code ${instance.exitCode}` : '';
  return h('tr', {'data-id': instance.id, 'data-created': instance.createdAt,
    'data-state': instance.state},
    h('td', {}, h('a', {href: `#/instances/${encodeURIComponent(instance.id)}`},
      h('code', {}, instance.id))),
    h('td', {}, instance.tool),
    h('td', {}, instance.toolVersion),
    h('td', {class: 'state-cell'}, stateBadge(instance.state)),
    h('td', {}, time(instance.createdAt)),
    h('td', {class: 'detail'}, detail),
    h('td', {}, actionButtons(instance, errors)));
}
