import {api} from '../api.js';
import {h} from '../dom.js';
import {errorRegion, showError} from './errors.js';

/**
 * The launch form of one tool, built from its parameters: an input per property of its input schema
 * (type, required, description), or a JSON textarea when it declares none; a password input per
 * secret input, or the name of a Secret that holds them all. The server validates the launch; its
 * violations are shown as it lists them.
 */
export function launchView(container, {params: [name]}) {
  document.title = `Launch ${name} · toolrun`;
  const errors = errorRegion();
  container.append(h('h1', {}, 'Launch ', h('code', {}, name)), errors);
  api(`/v1/tools/${encodeURIComponent(name)}`)
    .then((tool) => container.append(launchForm(tool, errors)))
    .catch((error) => showError(errors, error));
}

function launchForm(tool, errors) {
  const schema = tool.spec.inputSchema;
  const fields = schema?.properties ? schemaFields(schema) : [rawField()];
  const secrets = (tool.spec.secretInputs ?? []).map(secretField);
  const secretRef = secrets.length ? secretRefField() : null;
  const submit = h('button', {type: 'submit'}, `Launch ${tool.name}`);
  const form = h('form', {class: 'launch', novalidate: true, onsubmit: launch},
    h('p', {class: 'meta'}, `Version ${tool.version} · ${tool.mode}`,
      tool.description ? ` · ${tool.description}` : ''),
    h('fieldset', {},
      h('legend', {}, 'Parameters'),
      fields.length ? fields.map((f) => f.element) : h('p', {}, 'This tool takes no parameters.')),
    secrets.length
      ? h('fieldset', {}, h('legend', {}, 'Secret inputs'),
        h('p', {class: 'hint'}, 'Handed to the run only; toolrun never stores or shows them.'),
        secrets.map((f) => f.element), secretRef.element)
      : null,
    submit);

  async function launch(event) {
    event.preventDefault();
    errors.hidden = true;
    let parameters = {};
    try {
      for (const field of fields) Object.assign(parameters, field.value());
    } catch (error) {
      showError(errors, error);
      return;
    }
    const secretValues = {};
    for (const field of secrets) Object.assign(secretValues, field.value());
    const reference = secretRef?.value();
    // By reference, the values are left out unless some were typed too: then both go, for the
    // server to refuse the pair with its own message.
    const byValue = secrets.length && (!reference || Object.keys(secretValues).length);
    submit.disabled = true;
    try {
      const instance = await api('/v1/instances', {method: 'POST', body: {
        tool: tool.name, version: tool.version, parameters,
        ...(byValue ? {secrets: secretValues} : {}),
        ...(reference ? {secretRef: reference} : {})}});
      location.hash = `#/instances/${encodeURIComponent(instance.id)}`;
    } catch (error) {
      showError(errors, error);
    } finally {
      submit.disabled = false;
    }
  }
  return form;
}

/** One field per property of the schema; each answers {name: value}, or {} when left empty. */
function schemaFields(schema) {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, property]) =>
    propertyField(name, property ?? {}, required.has(name)));
}

function propertyField(name, property, required) {
  const id = `param-${name}`;
  const type = Array.isArray(property.type) ? property.type.find((t) => t !== 'null') : property.type;
  const hintId = `${id}-hint`;
  const common = {id, name, required, 'aria-required': required ? 'true' : null,
    'aria-describedby': hintId};
  let input;
  let read;
  if (Array.isArray(property.enum)) {
    input = h('select', common, required ? null : h('option', {value: ''}, '(not set)'),
      property.enum.map((v, i) => h('option', {value: String(i)}, JSON.stringify(v))));
    read = () => (input.value === '' ? undefined : property.enum[Number(input.value)]);
  } else if (type === 'boolean') {
    input = h('input', {...common, type: 'checkbox', checked: property.default === true});
    read = () => input.checked;
  } else if (type === 'integer' || type === 'number') {
    input = h('input', {...common, type: 'number', step: type === 'integer' ? '1' : 'any',
      min: property.minimum, max: property.maximum, value: property.default});
    // What is not a number goes as typed, for the server to say what is wrong with it.
    read = () => (input.value === '' ? undefined
      : Number.isNaN(Number(input.value)) ? input.value : Number(input.value));
  } else if (type === 'string' || type === undefined && !property.properties && !property.items) {
    input = h('input', {...common, type: 'text', minlength: property.minLength,
      maxlength: property.maxLength, value: property.default});
    read = () => (input.value === '' ? undefined : input.value);
  } else {
    input = h('textarea', {...common, rows: 3, spellcheck: 'false', class: 'code'},
      property.default === undefined ? '' : JSON.stringify(property.default));
    read = () => (input.value.trim() === '' ? undefined : parseJson(name, input.value));
  }
  const element = h('div', {class: 'field'},
    h('label', {for: id}, name, required ? h('span', {class: 'required'}, ' (required)') : null),
    input,
    h('p', {id: hintId, class: 'hint'},
      h('span', {class: 'type'}, type ?? 'JSON'),
      property.description ? ` — ${property.description}` : ''));
  return {element, value: () => {
    const value = read();
    return value === undefined ? {} : {[name]: value};
  }};
}

function rawField() {
  const input = h('textarea', {id: 'parameters', name: 'parameters', rows: 8, spellcheck: 'false',
    class: 'code', 'aria-describedby': 'parameters-hint'}, '{}');
  const element = h('div', {class: 'field'},
    h('label', {for: 'parameters'}, 'Parameters (a JSON object)'),
    input,
    h('p', {id: 'parameters-hint', class: 'hint'},
      'This tool declares no input schema: any JSON object is accepted.'));
  return {element, value: () => {
    const value = parseJson('parameters', input.value.trim() || '{}');
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw {code: 'INVALID_JSON', message: 'The parameters must be a JSON object.'};
    }
    return value;
  }};
}

function secretField(name) {
  const id = `secret-${name}`;
  const input = h('input', {id, name, type: 'password', autocomplete: 'off'});
  const element = h('div', {class: 'field'}, h('label', {for: id}, name), input);
  return {element, value: () => (input.value === '' ? {} : {[name]: input.value})};
}

/** The Secret the run's pod takes every secret input from, instead of values typed here. */
function secretRefField() {
  const input = h('input', {id: 'secret-ref', name: 'secretRef', type: 'text', autocomplete: 'off',
    maxlength: 253, 'aria-describedby': 'secret-ref-hint'});
  const element = h('div', {class: 'field'},
    h('label', {for: 'secret-ref'}, 'Or all of them from a Secret'),
    input,
    h('p', {id: 'secret-ref-hint', class: 'hint'},
      'The name of a Secret in toolrun\'s namespace with a key per secret input. The run\'s pod ' +
      'reads it; toolrun does not.'));
  return {element, value: () => (input.value.trim() === '' ? undefined : {name: input.value.trim()})};
}

function parseJson(name, text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw {code: 'INVALID_JSON', message: `${name} is not valid JSON: ${e.message}`};
  }
}
