import {api, signOutIfRefused} from '../api.js';
import {h, json, stateBadge, TERMINAL, time} from '../dom.js';
import {follow} from '../sse.js';
import {actionButtons} from './actions.js';
import {errorRegion, showError} from './errors.js';

/**
 * One instance: its state (live, from the watch of its tool's instances), history, failure, result
 * and parameters, and its log, followed line by line over the log's event stream.
 */
export function instanceView(container, {params: [id]}) {
  document.title = `Instance ${id} · toolrun`;
  const errors = errorRegion();
  const heading = h('h1', {}, 'Instance ', h('code', {}, id));
  const summary = h('div', {class: 'summary'});
  const details = h('div', {class: 'details'});
  const logStatus = h('p', {id: 'log-status', class: 'meta', role: 'status'}, 'Connecting…');
  const log = h('div', {id: 'log', class: 'log', role: 'log', 'aria-label': 'Log',
    tabindex: '0'});
  container.append(heading, errors, summary, details,
    h('section', {'aria-labelledby': 'log-heading'},
      h('h2', {id: 'log-heading'}, 'Log'), logStatus, log));

  const streams = [];
  let shown = null;

  function show(instance) {
    shown = instance;
    summary.replaceChildren(
      h('p', {class: 'facts'},
        h('span', {}, 'Tool ', h('a', {href: `#/instances?tool=${encodeURIComponent(instance.tool)}`},
          instance.tool), ` version ${instance.toolVersion} · ${instance.mode}`),
        h('span', {id: 'state', role: 'status', 'aria-live': 'polite'}, 'State ',
          stateBadge(instance.state))),
      h('p', {class: 'actions'}, actionButtons(instance, errors)));
    details.replaceChildren(...sections(instance));
  }

  async function reload() {
    try {
      show(await api(`/v1/instances/${encodeURIComponent(id)}`));
      return true;
    } catch (error) {
      showError(errors, error);
      return false;
    }
  }

  reload().then((found) => {
    if (!found) return;
    // The watch tells when the state changes; the instance is then read whole (its history,
    // result and failure are not in the events).
    streams.push(follow(`/v1/instances?tool=${encodeURIComponent(shown.tool)}`, {
      onEvent: ({type, data}) => {
        if (type !== 'instance') return;
        const event = JSON.parse(data);
        if (event.id === id && (event.state !== shown.state || event.updatedAt !== shown.updatedAt)) {
          reload();
        }
      },
      onError: (error) => { signOutIfRefused(error); showError(errors, error); },
    }));
    streams.push(followLog(id, log, logStatus, errors, reload));
  });

  return () => streams.forEach((s) => s.close());
}

function followLog(id, log, status, errors, reload) {
  return follow(`/v1/instances/${encodeURIComponent(id)}/logs`, {
    onOpen: () => { status.textContent = 'Following the log as it grows.'; },
    onEvent: ({type, data, id: line}) => {
      if (type === 'message') {
        log.append(h('div', {class: 'line', 'data-line': line}, h('span', {class: 'line-number', 'aria-hidden': 'true'},
          line), h('span', {class: 'line-text'}, data)));
        log.scrollTop = log.scrollHeight;
      } else if (type === 'dropped') {
        const dropped = JSON.parse(data);
        log.append(h('div', {class: 'line dropped'},
          `[${dropped.lines} lines were dropped from the log before they could be shown]`));
      } else if (type === 'end') {
        const end = JSON.parse(data);
        status.textContent = end.complete
          ? `The run ended ${end.state}; its log is complete (${end.nextFrom} lines).`
          : `The run ended ${end.state}; its log is incomplete.`;
        reload();
      }
    },
    isLast: ({type}) => type === 'end',
    onBreak: () => { status.textContent = 'Connection lost; resuming the log…'; },
    onError: (error) => { signOutIfRefused(error); showError(errors, error); },
  });
}

function sections(instance) {
  const parts = [section('History', 'history', h('ol', {class: 'timeline'},
    instance.history.map((change, i) => h('li', {},
      stateBadge(change.state), ' ', time(change.at),
      i > 0 ? h('span', {class: 'meta'}, ` +${elapsed(instance.history[i - 1].at, change.at)}`)
        : null))))];
  if (instance.queuePosition != null) {
    parts.push(section('Queue', 'queue', h('p', {}, `Waiting for capacity, position ${instance.queuePosition}.`)));
  }
  if (instance.failure) {
    const f = instance.failure;
    parts.push(section('Failure', 'failure', h('dl', {},
      h('dt', {}, 'Kind'), h('dd', {}, h('code', {}, f.kind)),
      h('dt', {}, 'Message'), h('dd', {}, f.message),
      f.exitCode != null ? [h('dt', {}, 'Exit code'), h('dd', {}, f.exitCode)] : null,
      f.lastLogLines?.length ? [h('dt', {}, 'Last log lines'), h('dd', {}, h('pre', {}, f.lastLogLines.join('\n')))] : null)));
  }
  if (instance.result !== undefined && instance.result !== null) {
    parts.push(section('Result', 'result', json(instance.result, {id: 'result'}),
      instance.resultViolations?.length
        ? h('div', {class: 'error'}, h('p', {}, 'The result breaks the tool\'s output schema:'),
          h('ul', {}, instance.resultViolations.map((v) =>
            h('li', {}, h('code', {}, v.field || '(the result)'), ': ', v.message))))
        : null));
  } else if (TERMINAL.has(instance.state) && instance.mode === 'TASK') {
    parts.push(section('Result', 'result', h('p', {}, 'This run left no result.')));
  }
  parts.push(section('Parameters', 'parameters', json(instance.parameters ?? {}),
    instance.secretRef ? h('p', {class: 'meta', id: 'secret-ref'},
      `Secret inputs from the Secret ${instance.secretRef.name} (toolrun never reads it).`)
      : instance.secretNames?.length ? h('p', {class: 'meta'},
        `Secret inputs given: ${instance.secretNames.join(', ')} (values are never shown).`) : null));
  if (instance.health) {
    parts.push(section('Health', 'health', h('dl', {},
      h('dt', {}, 'Last check'), h('dd', {}, time(instance.health.lastCheckAt)),
      h('dt', {}, 'Last healthy'), h('dd', {}, time(instance.health.lastHealthyAt)),
      instance.health.lastError ? [h('dt', {}, 'Last error'), h('dd', {}, instance.health.lastError)] : null,
      h('dt', {}, 'Restarts'), h('dd', {}, instance.restarts))));
  }
  return parts;
}

function section(title, id, ...content) {
  return h('section', {class: `panel panel-${id}`, 'aria-labelledby': `${id}-heading`},
    h('h2', {id: `${id}-heading`}, title), content);
}

function elapsed(from, to) {
  const ms = Date.parse(to) - Date.parse(from);
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
