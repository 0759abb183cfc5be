import { useEffect, useState } from 'react';
import { api, isMissingRoute } from '../api.ts';
import { Coming } from '../app.tsx';
import { describeCron, nextRuns } from '../cron.ts';
import { useI18n } from '../i18n.ts';

interface Schedule { name: string; cron: string; timeZone: string; isEnabled: boolean; description: string }
interface Run { id: number | string; trigger: string; startedAt: string; durationMs: number | null; outcome: string; error: string | null }

const asList = <T,>(data: unknown): T[] => (Array.isArray(data) ? data : ((data as { items?: T[] }).items ?? []));

export function SchedulesPage() {
  const { t } = useI18n();
  const [schedules, setSchedules] = useState<Schedule[] | null | 'missing'>(null);
  const [error, setError] = useState('');
  const load = () => api<unknown>('GET', '/schedules').then((d) => setSchedules(asList<Schedule>(d)), (e) => (isMissingRoute(e) ? setSchedules('missing') : setError((e as Error).message)));
  useEffect(() => { void load(); }, []);
  if (schedules === 'missing') return <Coming />;
  if (error) return <p className="error">{error}</p>;
  if (!schedules) return <p>{t.loading}</p>;
  return <>{schedules.map((s) => <ScheduleCard key={s.name} schedule={s} onSaved={load} />)}</>;
}

function ScheduleCard({ schedule, onSaved }: { schedule: Schedule; onSaved: () => void }) {
  const { t, lang } = useI18n();
  const [cron, setCron] = useState(schedule.cron);
  const [runs, setRuns] = useState<Run[]>([]);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const preview = nextRuns(cron, schedule.timeZone);
  const loadRuns = () => api<unknown>('GET', `/schedules/${schedule.name}/runs`).then((d) => setRuns(asList<Run>(d).slice(0, 10)), () => setRuns([]));
  useEffect(() => { void loadRuns(); }, []); // eslint-disable-line react-hooks/exhaustive-deps
  const act = (p: Promise<unknown>) => p.then(() => { setMessage({ ok: true, text: t.saved }); onSaved(); void loadRuns(); }, (e: Error) => setMessage({ ok: false, text: e.message }));

  return (
    <div className="card" data-schedule={schedule.name}>
      <h3>{schedule.name} <small>{schedule.description}</small></h3>
      <div className="row">
        <label>{t.cron} ({schedule.timeZone})<input aria-label={`cron ${schedule.name}`} value={cron} onChange={(e) => setCron(e.target.value)} /></label>
        <button onClick={() => act(api('PATCH', `/schedules/${schedule.name}`, { cron }))} disabled={Boolean(preview.error)}>{t.save}</button>
        <label style={{ flexDirection: 'row', alignItems: 'center' }}>
          <input type="checkbox" checked={schedule.isEnabled} onChange={(e) => act(api('PATCH', `/schedules/${schedule.name}`, { isEnabled: e.target.checked }))} /> {t.enabled}
        </label>
        <button className="secondary" onClick={() => act(api('POST', `/schedules/${schedule.name}/run`))}>{t.runNow}</button>
      </div>
      <p data-testid="cron-description">{preview.error ? <span className="error">{preview.error}</span> : describeCron(cron, lang)}</p>
      {message && <p className={message.ok ? 'ok' : 'error'}>{message.text}</p>}
      <div className="grid">
        <div>
          <h4>{t.nextRuns}</h4>
          <ol data-testid="next-runs">{preview.runs.map((d) => <li key={d.toISOString()}>{d.toLocaleString(lang, { timeZone: schedule.timeZone })} ({schedule.timeZone})</li>)}</ol>
        </div>
        <div>
          <h4>{t.history}</h4>
          {runs.length === 0 ? <p>{t.none}</p> : (
            <table><tbody>{runs.map((r) => <tr key={r.id}><td>{new Date(r.startedAt).toLocaleString()}</td><td>{r.trigger}</td><td>{r.outcome}</td><td>{r.durationMs ?? '—'} ms</td></tr>)}</tbody></table>
          )}
        </div>
      </div>
    </div>
  );
}
