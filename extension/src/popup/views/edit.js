// SPDX-License-Identifier: MIT
// Create or edit an entry (credentials.create / credentials.update), or delete it.
// An update sends only what changed, with expectedUpdatedAt: when the entry changed on
// the server since it was read, the host answers CONFLICT and writes nothing; the form
// keeps the person's edits and offers to load the server's version.
import { t } from '../../shared/i18n.js';
import { accountLabel } from '../../ui/format.js';

/** The params of credentials.update: only the fields that differ from `before`. */
export function changedFields(before, after) {
  const out = {};
  for (const key of ['name', 'url', 'username', 'password', 'notes']) {
    if ((after[key] ?? '') !== (before[key] ?? '')) out[key] = after[key] ?? '';
  }
  const norm = (fields) => JSON.stringify((fields ?? []).map((f) => ({ name: f.name, value: f.value ?? '', hidden: Boolean(f.hidden) })));
  if (norm(after.fields) !== norm(before.fields)) out.fields = JSON.parse(norm(after.fields));
  return out;
}

/** An entry as the form holds it, from a credentials.get answer and its summary. */
export function formValues(secret, summary = {}) {
  return {
    name: secret?.name ?? summary.name ?? '',
    url: secret?.urls?.[0] ?? summary.website ?? '',
    username: secret?.username ?? summary.username ?? '',
    password: secret?.password ?? '',
    notes: secret?.notes ?? '',
    fields: (secret?.fields ?? []).map((f) => ({ name: f.name ?? '', value: f.value ?? '', hidden: Boolean(f.hidden) })),
  };
}

export default {
  name: 'edit',
  needs: 'unlocked',
  title: (params) => (params.id ? t('editTitle') : t('newTitle')),
  render(scope, params) {
    const { h, icon, ICONS, host, router, busy, say, accounts } = scope;
    const editing = Boolean(params.id);
    const open = accounts().filter((a) => a.unlocked);
    let accountId = params.account ?? open.find((a) => a.backend !== 'passwork')?.account ?? open[0]?.account;
    let before = formValues(null, { website: params.url ?? '' });
    let updatedAt = params.entry?.updatedAt;
    const account = () => scope.account(accountId);

    const accountSelect = h('select', { id: 'edit-account', disabled: editing, onchange: () => { accountId = accountSelect.value; } },
      open.map((a) => h('option', { value: a.account, selected: a.account === accountId }, accountLabel(a))));
    const name = h('input', { id: 'edit-name', required: true, autocomplete: 'off', autofocus: true });
    const url = h('input', { id: 'edit-url', type: 'url', autocomplete: 'off', placeholder: 'https://' });
    const username = h('input', { id: 'edit-username', autocomplete: 'off', spellcheck: 'false' });
    const password = h('input', { id: 'edit-password', type: 'password', autocomplete: 'new-password', spellcheck: 'false', class: 'mono' });
    const notes = h('textarea', { id: 'edit-notes', rows: 3 });
    const fieldList = h('div', { id: 'edit-fields' });
    const conflict = h('div', { class: 'notice warn', id: 'edit-conflict', hidden: true });

    const toggle = h('button', { type: 'button', class: 'ghost icon-only', title: t('reveal'), 'aria-label': t('reveal'), onclick: () => {
      password.type = password.type === 'password' ? 'text' : 'password';
      toggle.replaceChildren(icon(password.type === 'password' ? ICONS.eye : ICONS.eyeOff));
    } }, icon(ICONS.eye));
    const generate = h('button', { id: 'edit-generate', type: 'button', class: 'ghost icon-only', title: t('generatePassword'), 'aria-label': t('generatePassword'),
      onclick: () => busy(generate, async () => {
        const options = await scope.loadGeneratorOptions();
        const { password: fresh } = await host.call('passwords.generate', options);
        password.value = fresh;
        password.type = 'text';
        toggle.replaceChildren(icon(ICONS.eyeOff));
      }) }, icon(ICONS.dice));

    function fieldRow(field = { name: '', value: '', hidden: false }) {
      const row = h('div', { class: 'custom-field-row' },
        h('input', { class: 'field-name', placeholder: t('fieldName'), value: field.name, 'aria-label': t('fieldName') }),
        h('input', { class: 'field-value', placeholder: t('fieldValue'), value: field.value, type: field.hidden ? 'password' : 'text', 'aria-label': t('fieldValue') }),
        // Hidden: masked in the details until shown, like a password.
        h('button', { type: 'button', class: 'ghost small icon-only field-hidden', title: t('fieldHiddenHint'), 'aria-label': t('fieldHidden'), 'aria-pressed': String(Boolean(field.hidden)),
          onclick: (e) => {
            const b = e.currentTarget;
            const hidden = b.getAttribute('aria-pressed') !== 'true';
            b.setAttribute('aria-pressed', String(hidden));
            b.replaceChildren(icon(hidden ? ICONS.eyeOff : ICONS.eye));
            row.querySelector('.field-value').type = hidden ? 'password' : 'text';
          } }, icon(field.hidden ? ICONS.eyeOff : ICONS.eye)),
        h('button', { type: 'button', class: 'ghost small icon-only', title: t('removeField'), 'aria-label': t('removeField'), onclick: () => row.remove() }, icon(ICONS.close)));
      return row;
    }

    function put(values) {
      name.value = values.name;
      url.value = values.url;
      username.value = values.username;
      password.value = values.password;
      notes.value = values.notes;
      fieldList.replaceChildren(...values.fields.map(fieldRow));
    }

    const read = () => ({
      name: name.value.trim(),
      url: url.value.trim(),
      username: username.value,
      password: password.value,
      notes: notes.value,
      fields: [...fieldList.children].map((row) => ({
        name: row.querySelector('.field-name').value.trim(),
        value: row.querySelector('.field-value').value,
        hidden: row.querySelector('.field-hidden').getAttribute('aria-pressed') === 'true',
      })).filter((f) => f.name),
    });

    /** Reads the entry (and its updatedAt) from the host, as the form's starting point. */
    async function load() {
      const secret = await host.call('credentials.get', { id: params.id, account: accountId, purpose: 'view' });
      if (!updatedAt || secret.updatedAt) {
        updatedAt = secret.updatedAt ?? (await findSummary())?.updatedAt;
      }
      before = formValues(secret, params.entry);
      return before;
    }

    async function findSummary() {
      const { items = [] } = await host.call('credentials.list', { account: accountId, query: params.entry?.name ?? '' });
      return items.find((i) => i.id === params.id);
    }

    // In the footer bar, outside the form: `form` ties it to the form.
    const save = h('button', { id: 'edit-save', type: 'submit', class: 'primary', form: 'edit-form' }, t('save'));
    const form = h('form', { class: 'view-body edit', id: 'edit-form', autocomplete: 'off', onsubmit: (event) => {
      event.preventDefault();
      busy(save, async () => {
        const values = read();
        if (!values.name) throw { code: 'VALIDATION', message: t('nameRequired') };
        let reply;
        if (editing) {
          const change = changedFields(before, values);
          if (!Object.keys(change).length) {
            router.back();
            return;
          }
          try {
            reply = await host.call('credentials.update', { id: params.id, account: accountId, ...change, ...(updatedAt ? { expectedUpdatedAt: updatedAt } : {}) });
          } catch (error) {
            if (error.code !== 'CONFLICT') throw error;
            if (scope.alive()) showConflict();
            return;
          }
        } else {
          const create = { account: accountId, name: values.name };
          for (const key of ['url', 'username', 'password', 'notes']) if (values[key]) create[key] = values[key];
          if (values.fields.length) create.fields = values.fields;
          reply = await host.call('credentials.create', create);
        }
        password.value = '';
        if (!scope.alive()) return;
        const item = reply.item ?? { id: params.id, account: accountId, name: values.name };
        if (editing) router.back();
        router.replace('details', { id: item.id, account: item.account ?? accountId, entry: item });
        scope.say(editing ? t('entrySaved') : t('entryCreated'), 'ok');
      }, account);
    } });

    // CONFLICT: explained, nothing overwritten; the edits stay in the form.
    function showConflict() {
      conflict.hidden = false;
      conflict.replaceChildren(t('err_CONFLICT'), ' ', h('button', { type: 'button', class: 'link', id: 'edit-reload', onclick: () => busy(null, async () => {
        put(await load());
        conflict.hidden = true;
        say(t('reloadedFromServer'), 'ok');
      }, account) }, t('loadServerVersion')));
    }

    let confirming = false;
    const del = h('button', { id: 'edit-delete', type: 'button', class: 'danger', onclick: () => {
      if (!confirming) {
        confirming = true;
        del.textContent = t('deleteConfirm');
        del.classList.add('solid');
        return;
      }
      busy(del, async () => {
        await host.call('credentials.delete', { id: params.id, account: accountId });
        if (!scope.alive()) return;
        router.reset('main');
        scope.say(t('entryDeleted'), 'ok');
      }, account);
    } }, icon(ICONS.trash), t('delete'));

    // append() writes a null as the text "null": the account row is left out, not null.
    form.append(
      conflict,
      ...(open.length > 1 || !editing ? [h('div', { class: 'field' }, h('label', { for: 'edit-account' }, t('account')), accountSelect)] : []),
      h('div', { class: 'field' }, h('label', { for: 'edit-name' }, t('name')), name),
      h('div', { class: 'field' }, h('label', { for: 'edit-url' }, t('website')), url),
      h('div', { class: 'field' }, h('label', { for: 'edit-username' }, t('username')), username),
      h('div', { class: 'field' }, h('label', { for: 'edit-password' }, t('password')), h('div', { class: 'input-row' }, password, toggle, generate)),
      h('div', { class: 'field' }, h('label', { for: 'edit-notes' }, t('notes')), notes),
      h('div', { class: 'field' }, h('span', { class: 'label' }, t('customFields')), fieldList,
        h('button', { type: 'button', class: 'link small', id: 'edit-add-field', onclick: () => fieldList.append(fieldRow()) }, `+ ${t('addField')}`)),
    );
    scope.setFooter(editing ? del : null, h('span', { class: 'spacer' }),
      h('button', { type: 'button', id: 'edit-cancel', onclick: () => router.back() }, t('cancel')), save);

    put(before);
    if (editing) {
      busy(null, async () => {
        const values = await load();
        if (scope.alive()) put(values);
      }, account);
    }
    return form;
  },
};
