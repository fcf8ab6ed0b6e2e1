import {api} from '../api.js';
import {h, TERMINAL} from '../dom.js';
import {showError} from './errors.js';

/**
 * The buttons that apply to `instance` now: Cancel for a task that has not ended, Stop for a
 * service that is not stopping or ended. Failures go to `errors`; the new state comes back through
 * the watch, so nothing is updated here.
 */
export function actionButtons(instance, errors) {
  const label = `${instance.tool} ${instance.id}`;
  if (instance.mode === 'TASK' && !TERMINAL.has(instance.state)) {
    return [button('Cancel', 'cancel', label, instance, errors)];
  }
  if (instance.mode === 'SERVICE' && !TERMINAL.has(instance.state)
      && instance.state !== 'STOPPING' && instance.state !== 'FAILED') {
    return [button('Stop', 'stop', label, instance, errors)];
  }
  return [];
}

function button(text, action, label, instance, errors) {
  const element = h('button', {type: 'button', class: `action ${action}`,
    'aria-label': `${text} ${label}`,
    onclick: async () => {
      element.disabled = true;
      try {
        await api(`/v1/instances/${encodeURIComponent(instance.id)}/${action}`, {method: 'POST'});
      } catch (error) {
        element.disabled = false;
        showError(errors, error);
      }
    }}, text);
  return element;
}
