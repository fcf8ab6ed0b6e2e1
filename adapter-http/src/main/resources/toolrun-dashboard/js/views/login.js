import {api, token} from '../api.js';
import {h} from '../dom.js';
import {errorRegion, showError} from './errors.js';

/** The sign-in view: the token, tried once against the API, then kept for this tab's session. */
export function loginView(container, {notice, next}) {
  const input = h('input', {id: 'token', name: 'token', type: 'password', required: true,
    autocomplete: 'current-password', 'aria-describedby': 'token-hint'});
  const errors = errorRegion();
  const submit = h('button', {type: 'submit'}, 'Sign in');
  const form = h('form', {class: 'login', onsubmit: signIn},
    h('h1', {}, 'Sign in to toolrun'),
    notice ? h('p', {class: 'notice', role: 'status'}, notice) : null,
    h('label', {for: 'token'}, 'API token'),
    input,
    h('p', {id: 'token-hint', class: 'hint'},
      'The bearer token toolrun was started with (TOOLRUN_AUTH_TOKEN). ',
      'It is kept in this tab only, until you sign out or close it.'),
    errors,
    submit);
  container.append(form);
  input.focus();

  async function signIn(event) {
    event.preventDefault();
    submit.disabled = true;
    token.set(input.value.trim());
    try {
      await api('/v1/tools?limit=1', {signingIn: true});
      if (location.hash === next) window.dispatchEvent(new HashChangeEvent('hashchange'));
      else location.hash = next;
    } catch (error) {
      token.clear();
      showError(errors, error.status === 401
        ? {...error, code: error.code, message: `The token was refused: ${error.message}.`}
        : error);
      input.select();
    } finally {
      submit.disabled = false;
    }
  }
}
