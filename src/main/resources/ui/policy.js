import { get, post, currentUser } from './api.js';
import { h, replace, badge, time, definitions } from './dom.js';

export async function showPolicy(main) {
  const policy = await get('/api/v1/policy');
  const identity = h('input', { name: 'identity', value: currentUser().identity, placeholder: 'identity' });
  const target = h('input', { name: 'target', placeholder: 'target' });
  const sql = h('textarea', { name: 'sql', rows: 4, placeholder: 'SQL to test, e.g. DROP TABLE accounts' });
  const result = h('div', { id: 'explain-result' });
  const form = h('form', { id: 'explain', onsubmit: async (event) => {
    event.preventDefault();
    try {
      const explained = await post('/api/v1/policy/explain', { identity: identity.value, target: target.value, sql: sql.value });
      replace(result, h('div', { className: 'card' },
        h('p', {}, 'Overall: ', badge(explained.overall.outcome), ' rule ', h('code', {}, explained.overall.rule)),
        h('pre', { id: 'explanation' }, explained.explanation)));
    } catch (error) {
      replace(result, h('p', { className: 'error' }, error.message));
    }
  } }, h('div', { className: 'row' }, identity, target), sql, h('div', { className: 'row' }, h('button', { className: 'primary', type: 'submit' }, 'Explain')));
  const reload = policy.last_reload;
  replace(main,
    h('h1', {}, 'Policy'),
    h('div', { className: 'card' }, definitions([
      ['File', policy.file], ['Version', h('code', { id: 'policy-version' }, policy.short_version)],
      ['Last reload', time(reload.at) + ' (' + reload.result + ')'],
      ['Reload problem', reload.error ? h('pre', { className: 'error' }, reload.error) : null],
      ['Rules', policy.rules.join(', ')],
    ])),
    h('h2', {}, 'Test a statement'), form, result,
    h('h2', {}, policy.file_is_active ? 'Active policy' : 'Policy file (edited since it was loaded; not in force)'),
    h('pre', { id: 'policy-yaml' }, policy.yaml));
}
