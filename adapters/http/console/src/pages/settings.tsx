import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { fill, useI18n, type Messages } from '../i18n.ts';
import { AuditLogSection } from './audit-log.tsx';

interface Guards { dailyCap: number; weeklyCap: number; quietHours: { start: string; end: string }; controlPercent: number }
interface Channel { channel: string; isOn: boolean; reason: string; details?: Record<string, string> }
interface Settings {
  consentTexts: { marketingZh: string; marketingEn: string; optOutZh: string; optOutEn: string };
  channels: Channel[];
}
type LoginState =
  | { status: 'not_started' }
  | { status: 'waiting_for_scan'; qrcode: string; scanStatus: string; terminal: string; updatedAt: string }
  | { status: 'logged_in'; user: string; since: string }
  | { status: 'logged_out'; since: string };

const CONSENT_LABELS = { marketingZh: 'consentMarketingZh', marketingEn: 'consentMarketingEn', optOutZh: 'consentOptOutZh', optOutEn: 'consentOptOutEn' } as const;
const CHANNEL_LABELS: Record<string, keyof Messages> = {
  telegram: 'platformTelegram', wechat: 'platformWechat', miniprogram: 'channelMiniprogram', console: 'channelConsole', http: 'channelHttp', jobs: 'channelJobs', recommender: 'channelRecommender',
};

/** Caps and quiet hours (the campaigns' `/guard-settings`, the one source the dispatcher reads), consent texts, channels, audit log. */
export function SettingsPage() {
  const { t } = useI18n();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [guards, setGuards] = useState<Guards | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [auditVersion, setAuditVersion] = useState(0);
  const fail = (e: Error) => setMessage({ ok: false, text: e.message });
  useEffect(() => {
    api<Settings>('GET', '/settings').then(setSettings, fail);
    api<Guards>('GET', '/guard-settings').then(setGuards, fail);
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  const save = (path: string, body: unknown) => api('PUT', path, body).then(() => { setMessage({ ok: true, text: t.saved }); setAuditVersion((v) => v + 1); }, fail);

  const saveGuards = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    void save('/guard-settings', { dailyCap: Number(f.get('dailyCap')), weeklyCap: Number(f.get('weeklyCap')), quietHours: { start: f.get('quietStart'), end: f.get('quietEnd') }, controlPercent: Number(f.get('controlPercent')) });
  };
  const saveConsent = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    void save('/settings/consent-texts', Object.fromEntries(['marketingZh', 'marketingEn', 'optOutZh', 'optOutEn'].map((k) => [k, f.get(k)])));
  };

  if (!settings || !guards) return message ? <p className="error">{message.text}</p> : <p>{t.loading}</p>;
  return (
    <>
      {message && <p className={message.ok ? 'ok' : 'error'} role="status">{message.text}</p>}
      <form className="card" onSubmit={saveGuards}>
        <h3>{t.caps} · {t.quietHours}</h3>
        <div className="row">
          <label>{t.dailyCap}<input name="dailyCap" type="number" min="0" max="100" defaultValue={guards.dailyCap} /></label>
          <label>{t.weeklyCap}<input name="weeklyCap" type="number" min="0" max="500" defaultValue={guards.weeklyCap} /></label>
          <label>{t.quietHours} ▸<input name="quietStart" type="time" defaultValue={guards.quietHours.start} /></label>
          <label>◂<input name="quietEnd" type="time" defaultValue={guards.quietHours.end} /></label>
          <label>{t.controlPercent}<input name="controlPercent" type="number" min="0" max="50" defaultValue={guards.controlPercent} /></label>
          <button type="submit">{t.save}</button>
        </div>
      </form>
      <form className="card" onSubmit={saveConsent}>
        <h3>{t.consentTexts}</h3>
        <div className="grid">
          {(['marketingZh', 'marketingEn', 'optOutZh', 'optOutEn'] as const).map((k) => (
            <label key={k}>{t[CONSENT_LABELS[k]]}<textarea name={k} rows={2} defaultValue={settings.consentTexts[k]} /></label>
          ))}
        </div>
        <button type="submit">{t.save}</button>
      </form>
      <div className="card">
        <h3>{t.channels}</h3>
        <table data-testid="channels"><tbody>{settings.channels.map((c) => (
          <tr key={c.channel} data-channel={c.channel}>
            <td><strong>{CHANNEL_LABELS[c.channel] ? (t[CHANNEL_LABELS[c.channel]!] as string) : c.channel}</strong></td><td><span className={c.isOn ? 'dot on' : 'dot'} /> {c.isOn ? t.channelOn : t.channelOff}</td>
            <td>
              {c.reason}
              {c.details && <div>{Object.entries(c.details).map(([k, v]) => <span className="pill" key={k}>{k}: {v}</span>)}</div>}
              {c.channel === 'wechat' && c.isOn && <WechatLogin />}
            </td>
          </tr>
        ))}</tbody></table>
      </div>
      <AuditLogSection version={auditVersion} />
    </>
  );
}

/** The WeChat bot's login state; while it waits for a scan, the QR as the bot printed it. */
function WechatLogin() {
  const { t, lang } = useI18n();
  const [state, setState] = useState<LoginState | null>(null);
  const [error, setError] = useState('');
  useEffect(() => { api<LoginState>('GET', '/wechat/login-qr').then(setState, (e: Error) => setError(e.message)); }, []);
  if (error) return <p className="muted">{error}</p>;
  if (!state) return null;
  if (state.status === 'waiting_for_scan') {
    return (
      <div data-testid="wechat-qr">
        <h4>{t.loginQr} ({state.scanStatus})</h4>
        <pre className="qr">{state.terminal}</pre>
        <p><a href={state.qrcode} target="_blank" rel="noreferrer">{state.qrcode}</a></p>
      </div>
    );
  }
  return <p className="muted">{state.status === 'logged_in' ? fill(t.wechatLoggedIn, { user: state.user, since: new Date(state.since).toLocaleString(lang) }) : state.status === 'logged_out' ? t.wechatLoggedOut : t.wechatNotStarted}</p>;
}
