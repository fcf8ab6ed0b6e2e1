import {h} from '../dom.js';

/**
 * Shows `error` in `region` (an element with role="alert"): the server's code and message, and each
 * violation of a VALIDATION_FAILED with its field.
 */
export function showError(region, error) {
  region.replaceChildren(
    h('p', {}, h('strong', {class: 'code'}, error.code ?? 'ERROR'), ' ', error.message),
    error.details?.length
      ? h('ul', {}, error.details.map((d) => h('li', {}, h('code', {}, d.field), ': ', d.message)))
      : null);
  region.hidden = false;
}

/** An empty, hidden alert region for errors. */
export function errorRegion() {
  return h('div', {class: 'error', role: 'alert', hidden: true});
}
