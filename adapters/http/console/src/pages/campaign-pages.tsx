import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { fill, useI18n } from '../i18n.ts';
import { variantText, type Broadcast, type RetargetingRule } from './campaign-types.ts';
import { MIN_SENDS_PER_VARIANT, ResultsTable } from './results-table.tsx';
import { broadcastStatusLabel } from '../labels.ts';
import { describeDelay, describeParams, RuleForm, triggerLabel } from './rule-form.tsx';

/** Retargeting rules: create, edit and delete them; each shows its trigger, timing, templates, enabled switch and per-variant results. */
export function RetargetingPage() {
  const { t, lang } = useI18n();
  const [rules, setRules] = useState<RetargetingRule[] | null>(null);
  /** The forms open, by rule id or `'new'`; several may be, so opening one never drops what another holds. */
  const [editing, setEditing] = useState<ReadonlySet<string>>(new Set());
  const openForm = (key: string) => setEditing((open) => new Set(open).add(key));
  const closeForm = (key: string) => setEditing((open) => new Set([...open].filter((k) => k !== key)));
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const fail = (e: Error) => setNotice({ ok: false, text: e.message });
  const load = () => api<{ items: RetargetingRule[] }>('GET', '/retargeting-rules').then((d) => setRules(d.items), fail);
  useEffect(() => { void load(); }, []);
  const setEnabled = (rule: RetargetingRule, isEnabled: boolean) => api('PATCH', `/retargeting-rules/${rule.id}`, { isEnabled }).then(load, fail);
  const saved = (key: string, rule: RetargetingRule) => {
    closeForm(key);
    setNotice({ ok: true, text: `${t.saved}: ${rule.name}` });
    void load();
  };
  const remove = (rule: RetargetingRule) => {
    if (!window.confirm(fill(t.confirmDeleteRule, { name: rule.name }))) return;
    api('DELETE', `/retargeting-rules/${rule.id}`).then(() => { closeForm(rule.id); setNotice({ ok: true, text: `${t.deleted}: ${rule.name}` }); return load(); }, fail);
  };
  if (!rules) return notice ? <p className="error">{notice.text}</p> : <p>{t.loading}</p>;
  return (
    <>
      <div className="row">
        <button onClick={() => openForm('new')} disabled={editing.has('new')}>{t.newRule}</button>
        {notice && <span className={notice.ok ? 'ok' : 'error'} role={notice.ok ? 'status' : 'alert'}>{notice.text}</span>}
      </div>
      {editing.has('new') && <RuleForm rule={null} onSaved={(rule) => saved('new', rule)} onCancel={() => closeForm('new')} />}
      {rules.length === 0 && <p>{t.none}</p>}
      {rules.map((r) => editing.has(r.id) ? <RuleForm key={r.id} rule={r} onSaved={(rule) => saved(r.id, rule)} onCancel={() => closeForm(r.id)} /> : (
        <div className="card" key={r.id} data-rule={r.name}>
          <h3>{r.name} <span className="pill" title={r.trigger}>{triggerLabel(r.trigger, t)}</span> <span className="pill">{r.allocation === 'bandit' ? t.allocationBandit : t.allocationAb}</span></h3>
          <div className="row">
            <span className="muted" style={{ flex: 1 }}>
              {describeParams(r, t)} · {t.delay}: {describeDelay(r.delayMinutes, t)} · {t.maxPerFollower}: {r.maxPerFollower} · {t.goal}: {r.conversionGoal === 'click' ? t.click : t.purchase} ({r.attributionHours} h)
            </span>
            <label className="check"><input type="checkbox" checked={r.isEnabled} onChange={(e) => setEnabled(r, e.target.checked)} /> {t.enabled}</label>
            <button className="secondary" onClick={() => { setNotice(null); openForm(r.id); }}>{t.edit}</button>
            <button className="danger" onClick={() => remove(r)}>{t.remove}</button>
          </div>
          <p className="muted" data-testid="rule-templates">{r.variants.map((v) => `${v.key}: ${variantText(v, lang)}`).join(' · ')}</p>
          <ResultsTable path={`/retargeting-rules/${r.id}/results`} />
        </div>
      ))}
    </>
  );
}

/** Experiments: every broadcast's variants with their results and intervals. */
export function ExperimentsPage() {
  const { t, lang } = useI18n();
  const [broadcasts, setBroadcasts] = useState<Broadcast[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => { api<{ items: Broadcast[] }>('GET', '/broadcasts?limit=20').then((d) => setBroadcasts(d.items), (e: Error) => setError(e.message)); }, []);
  if (error) return <p className="error">{error}</p>;
  if (!broadcasts) return <p>{t.loading}</p>;
  return (
    <>
      <p className="muted">{t.experimentsHelp} {fill(t.minSampleNote, { min: String(MIN_SENDS_PER_VARIANT) })}</p>
      {broadcasts.length === 0 && <p>{t.none}</p>}
      {broadcasts.map((b) => (
        <div className="card" key={b.id} data-experiment={b.name}>
          <h3>{b.name} <span className="pill">{broadcastStatusLabel(b.status, t)}</span> <span className="pill">{b.allocation === 'bandit' ? t.allocationBandit : t.allocationAb}</span></h3>
          <p className="muted">{b.variants.map((v) => `${v.key}: ${variantText(v, lang)}`).join(' · ')}</p>
          <ResultsTable path={`/broadcasts/${b.id}/results`} testId={`results-${b.name}`} />
        </div>
      ))}
    </>
  );
}
