import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';

interface Settings {
  guards: { dailyCap: number; weeklyCap: number; quietStart: string; quietEnd: string };
  consentTexts: { marketingZh: string; marketingEn: string; optOutZh: string; optOutEn: string };
  channels: { channel: string; isOn: boolean; reason: string }[];
}

export function SettingsPage() {
  const { t } = useI18n();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => { api<Settings>('GET', '/settings').then(setSettings, (e: Error) => setMessage({ ok: false, text: e.message })); }, []);
  const save = (path: string, body: unknown) => api('PUT', path, body).then(() => setMessage({ ok: true, text: t.saved }), (e: Error) => setMessage({ ok: false, text: e.message }));

  const saveGuards = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    void save('/settings/guards', { dailyCap: Number(f.get('dailyCap')), weeklyCap: Number(f.get('weeklyCap')), quietStart: f.get('quietStart'), quietEnd: f.get('quietEnd') });
  };
  const saveConsent = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    void save('/settings/consent-texts', Object.fromEntries(['marketingZh', 'marketingEn', 'optOutZh', 'optOutEn'].map((k) => [k, f.get(k)])));
  };

  if (!settings) return message ? <p className="error">{message.text}</p> : <p>{t.loading}</p>;
  return (
    <>
      {message && <p className={message.ok ? 'ok' : 'error'} role="status">{message.text}</p>}
      <form className="card" onSubmit={saveGuards}>
        <h3>{t.caps} · {t.quietHours}</h3>
        <div className="row">
          <label>{t.dailyCap}<input name="dailyCap" type="number" min="0" defaultValue={settings.guards.dailyCap} /></label>
          <label>{t.weeklyCap}<input name="weeklyCap" type="number" min="0" defaultValue={settings.guards.weeklyCap} /></label>
          <label>{t.quietHours} ▸<input name="quietStart" type="time" defaultValue={settings.guards.quietStart} /></label>
          <label>◂<input name="quietEnd" type="time" defaultValue={settings.guards.quietEnd} /></label>
          <button type="submit">{t.save}</button>
        </div>
      </form>
      <form className="card" onSubmit={saveConsent}>
        <h3>{t.consentTexts}</h3>
        {(['marketingZh', 'marketingEn', 'optOutZh', 'optOutEn'] as const).map((k) => (
          <label key={k}>{k}<textarea name={k} rows={2} defaultValue={settings.consentTexts[k]} /></label>
        ))}
        <button type="submit">{t.save}</button>
      </form>
      <div className="card">
        <h3>{t.channels}</h3>
        <table><tbody>{settings.channels.map((c) => <tr key={c.channel}><td>{c.channel}</td><td>{c.isOn ? '🟢' : '⚪'}</td><td>{c.reason}</td></tr>)}</tbody></table>
      </div>
    </>
  );
}
