import { useEffect, useState, type FormEvent } from 'react';
import { api, issuesByPath } from '../api.ts';
import { fill, RISK_MESSAGES, useI18n } from '../i18n.ts';

type RiskMessages = (typeof RISK_MESSAGES)['en'];

interface Reason { code: string; params: Record<string, string | number> }
interface RiskCase {
  followerId: string; displayName: string | null; status: 'flagged' | 'blocked' | 'cleared'; score: number; reasons: Reason[];
  flaggedAt: string; reviewedBy: string | null; reviewedAt: string | null; heldOrders: number;
}
type Settings = Record<string, number | Record<string, number>>;

/** One reason in the admin's language: the rule's sentence with its numbers, never the raw codes. */
function reasonInWords(r: RiskMessages, reason: Reason): string {
  const params: Record<string, string> = Object.fromEntries(Object.entries(reason.params).map(([k, v]) => [k, String(v)]));
  if ('via' in reason.params) params['via'] = r.via[String(reason.params['via'])] ?? String(reason.params['via']);
  if (reason.code === 'anomaly') params['feature'] = r.feature[String(reason.params['feature'])] ?? String(reason.params['feature']);
  // A referral refused between linked accounts has its own sentence.
  const template = reason.code === 'referral_farming' && 'linkedReferral' in reason.params ? r.reason['referral_farming_linked'] : r.reason[reason.code];
  return fill(template ?? reason.code, params);
}

/** The review queue (flagged followers first, with their reasons in words) and the thresholds (admins only). */
export function RiskPage() {
  const { t, lang } = useI18n();
  const r = RISK_MESSAGES[lang];
  const [status, setStatus] = useState<'flagged' | 'blocked' | 'cleared' | ''>('flagged');
  const [cases, setCases] = useState<RiskCase[] | null>(null);
  const [error, setError] = useState('');
  const [version, setVersion] = useState(0);
  useEffect(() => {
    api<{ items: RiskCase[] }>('GET', `/risk/cases${status ? `?status=${status}` : ''}`).then((d) => { setError(''); setCases(d.items); }, (e: Error) => setError(e.message));
  }, [status, version]);
  const review = async (c: RiskCase, verdict: 'clear' | 'confirm') => {
    if (verdict === 'confirm' && !window.confirm(r.confirmPrompt)) return;
    try {
      await api('POST', `/risk/cases/${c.followerId}/${verdict}`);
      setVersion(version + 1);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <>
      <div className="card" data-testid="risk-queue">
        <p>{r.help}</p>
        <div className="row">
          <label>{t.status}
            <select aria-label="risk status" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
              {(['flagged', 'blocked', 'cleared'] as const).map((s) => <option key={s} value={s}>{r.status[s]}</option>)}
              <option value="">{r.all}</option>
            </select>
          </label>
        </div>
        {error && <p className="error" role="alert">{error}</p>}
        {cases && (cases.length === 0 ? <p>{t.none}</p> : (
          <table>
            <thead><tr><th>{r.follower}</th><th>{r.score}</th><th>{r.reasons}</th><th>{r.heldOrders}</th><th>{r.flaggedAt}</th><th>{t.status}</th><th /></tr></thead>
            <tbody>{cases.map((c) => (
              <tr key={c.followerId} data-follower={c.followerId}>
                <td>{c.displayName ?? c.followerId.slice(0, 8)}</td>
                <td>{c.score}</td>
                <td><ul className="reasons">{c.reasons.map((reason) => <li key={reason.code}>{reasonInWords(r, reason)}</li>)}</ul></td>
                <td>{c.heldOrders}</td>
                <td>{new Date(c.flaggedAt).toLocaleString(lang)}</td>
                <td><span className="pill">{r.status[c.status]}</span>{c.reviewedBy ? ` · ${c.reviewedBy}` : ''}</td>
                <td>
                  {c.status !== 'cleared' && <button className="secondary" onClick={() => void review(c, 'clear')}>{r.clear}</button>}
                  {c.status !== 'blocked' && <button className="danger" onClick={() => void review(c, 'confirm')}>{r.confirm}</button>}
                </td>
              </tr>
            ))}</tbody>
          </table>
        ))}
      </div>
      <RiskSettingsForm />
    </>
  );
}

function RiskSettingsForm() {
  const { t, lang } = useI18n();
  const r = RISK_MESSAGES[lang];
  const [settings, setSettings] = useState<Settings | null>(null);
  const [message, setMessage] = useState('');
  const [issues, setIssues] = useState<Record<string, string>>({});
  useEffect(() => {
    api<{ settings: Settings }>('GET', '/risk/settings').then((d) => setSettings(d.settings), (e: Error) => setMessage(e.message));
  }, []);
  if (!settings) return message ? <p className="error">{message}</p> : null;
  const set = (group: string, field: string | null, value: number) =>
    setSettings({ ...settings, [group]: field === null ? value : { ...(settings[group] as Record<string, number>), [field]: value } });
  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const saved = await api<{ settings: Settings }>('PUT', '/risk/settings', settings);
      setSettings(saved.settings);
      setIssues({});
      setMessage(t.saved);
    } catch (err) {
      setIssues(issuesByPath(err));
      setMessage((err as Error).message);
    }
  };
  const input = (path: string, value: number, onChange: (v: number) => void, label: string) => (
    <label key={path}>{label}
      <input type="number" step="any" aria-label={path} value={value} onChange={(e) => onChange(Number(e.target.value))} />
      {issues[`settings.${path}`] && <small className="error">{issues[`settings.${path}`]}</small>}
    </label>
  );
  return (
    <form className="card" onSubmit={save} data-testid="risk-settings">
      <h3>{r.settings}</h3>
      <p>{r.settingsHelp}</p>
      {input('flagScore', settings['flagScore'] as number, (v) => set('flagScore', null, v), r.field['flagScore']!)}
      {Object.entries(settings).filter(([, v]) => typeof v === 'object').map(([group, fields]) => (
        <fieldset key={group}>
          <legend>{r.group[group] ?? group}</legend>
          <div className="row">
            {Object.entries(fields as Record<string, number>).map(([field, value]) => input(`${group}.${field}`, value, (v) => set(group, field, v), r.field[field] ?? field))}
          </div>
        </fieldset>
      ))}
      <button type="submit">{t.save}</button>
      {message && <p role="status">{message}</p>}
    </form>
  );
}
