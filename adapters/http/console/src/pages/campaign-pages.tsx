import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import type { Broadcast, RetargetingRule } from './campaign-types.ts';
import { ResultsTable } from './results-table.tsx';

const describeParams = (params: Record<string, number>) => Object.entries(params).map(([k, v]) => `${k}=${v}`).join(', ') || '—';

/** Retargeting rules: trigger, timing, enabled switch, and each rule's per-variant results. */
export function RetargetingPage() {
  const { t } = useI18n();
  const [rules, setRules] = useState<RetargetingRule[] | null>(null);
  const [error, setError] = useState('');
  const load = () => api<{ items: RetargetingRule[] }>('GET', '/retargeting-rules').then((d) => setRules(d.items), (e: Error) => setError(e.message));
  useEffect(() => { void load(); }, []);
  const setEnabled = (rule: RetargetingRule, isEnabled: boolean) => api('PATCH', `/retargeting-rules/${rule.id}`, { isEnabled }).then(load, (e: Error) => setError(e.message));
  if (error) return <p className="error">{error}</p>;
  if (!rules) return <p>{t.loading}</p>;
  if (rules.length === 0) return <p>{t.none}</p>;
  return (
    <>
      {rules.map((r) => (
        <div className="card" key={r.id} data-rule={r.name}>
          <h3>{r.name} <span className="pill">{r.trigger}</span> <span className="pill">{r.allocation === 'bandit' ? t.allocationBandit : t.allocationAb}</span></h3>
          <div className="row">
            <span className="muted">{t.trigger}: {describeParams(r.params)} · {t.delay}: {r.delayMinutes} min · {t.goal}: {r.conversionGoal} ({r.attributionHours} h)</span>
            <label style={{ flexDirection: 'row', alignItems: 'center' }}>
              <input type="checkbox" checked={r.isEnabled} onChange={(e) => setEnabled(r, e.target.checked)} /> {t.enabled}
            </label>
          </div>
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
      <p className="muted">{t.experimentsHelp}</p>
      {broadcasts.length === 0 && <p>{t.none}</p>}
      {broadcasts.map((b) => (
        <div className="card" key={b.id} data-experiment={b.name}>
          <h3>{b.name} <span className="pill">{b.status}</span> <span className="pill">{b.allocation === 'bandit' ? t.allocationBandit : t.allocationAb}</span></h3>
          <p className="muted">{b.variants.map((v) => `${v.key}: ${(lang === 'zh-CN' ? v.text['zh-CN'] ?? v.text.en : v.text.en ?? v.text['zh-CN']) ?? ''}`).join(' · ')}</p>
          <ResultsTable path={`/broadcasts/${b.id}/results`} testId={`results-${b.name}`} />
        </div>
      ))}
    </>
  );
}
