// The dashboard's shell: hash routes to views, the sign-in gate, and the sign-out button. Each view
// is a function (container, route) that fills the container and may answer a function that stops
// what it started (its event streams) when the reader leaves it.

import {token} from './api.js';
import {loginView} from './views/login.js';
import {catalogView} from './views/catalog.js';
import {launchView} from './views/launch.js';
import {instancesView} from './views/instances.js';
import {instanceView} from './views/instance.js';

const routes = [
  {pattern: /^#\/tools$/, nav: 'tools', view: catalogView},
  {pattern: /^#\/launch\/([^/?]+)$/, nav: 'tools', view: launchView},
  {pattern: /^#\/instances(?:\?(.*))?$/, nav: 'instances', view: instancesView},
  {pattern: /^#\/instances\/([^/?]+)$/, nav: 'instances', view: instanceView},
];

const container = document.getElementById('view');
const signOut = document.getElementById('sign-out');
let stop = null;

/** What the reader is told on the sign-in view, once (e.g. why they were signed out). */
let notice = null;

function render() {
  if (stop) stop();
  stop = null;
  container.replaceChildren();
  const hash = location.hash || '#/tools';
  signOut.hidden = !token.get();
  if (!token.get() || hash === '#/login') {
    setNav(null);
    document.title = 'Sign in · toolrun';
    loginView(container, {notice, next: hash === '#/login' ? '#/tools' : hash});
    notice = null;
    return;
  }
  for (const route of routes) {
    const match = hash.match(route.pattern);
    if (match) {
      setNav(route.nav);
      stop = route.view(container, {params: match.slice(1).map((p) => p && decodeURIComponent(p)),
        query: new URLSearchParams(match[1] ?? '')}) ?? null;
      return;
    }
  }
  location.replace('#/tools');
}

function setNav(current) {
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/** Signs out: the token is forgotten and the sign-in view says why. */
export function signOutWith(message) {
  token.clear();
  notice = message;
  render();
}

signOut.addEventListener('click', () => signOutWith('Signed out.'));
// A refused token anywhere sends the reader back to sign in.
window.addEventListener('toolrun:unauthorized', (e) => signOutWith(e.detail));
window.addEventListener('hashchange', render);
render();
