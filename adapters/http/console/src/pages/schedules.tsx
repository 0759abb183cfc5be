import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { describeCron, nextRuns } from '../cron.ts';
import { useI18n, type Messages } from '../i18n.ts';

/** The shapes of adapters/http/routes/schedules.ts. */
/** Each job's name and what it does, in the console's language (the server's English text for a job not listed). */
const JOBS: Record<string, [keyof Messages, keyof Messages]> = {
  'retargeting-scan': ['jobRetargetingScan', 'jobRetargetingScanHelp'],
  'broadcast-dispatcher': ['jobBroadcastDispatcher', 'jobBroadcastDispatcherHelp'],
  'segment-refresh': ['jobSegmentRefresh', 'jobSegmentRefreshHelp'],
  'daily-report': ['jobDailyReport', 'jobDailyReportHelp'],
  'model-retrain': ['jobModelRetrain', 'jobModelRetrainHelp'],
  'lesson-reminders': ['jobLessonReminders', 'jobLessonRemindersHelp'],
  'referral-commissions': ['jobReferralCommissions', 'jobReferralCommissionsHelp'],
};
const jobTitle = (name: string, t: Messages) => (JOBS[name] ? (t[JOBS[name][0]] as string) : name);
const jobDescription = (name: string, fallback: string, t: Messages) => (JOBS[name] ? (t[JOBS[name][1]] as string) : fallback);

interface Schedule { name: string; cron: string; timezone: string; enabled: boolean; description: string; lastFiredAt: string | null; nextRuns: string[] }
/** A job run's outcome in words. */
const outcomeLabel = (outcome: string, t: Messages): string =>
  outcome === 'ok' ? t.outcomeOk : outcome === 'failed' ? t.outcomeFailed : outcome === 'not_available' ? t.outcomeNotAvailable : outcome;

interface Run { id: number; trigger: 'cron' | 'manual'; startedAt: string; durationMs: number | null; outcome: string; error: string | null }

export function SchedulesPage() {
  const { t } = useI18n();
  const [schedules, setSchedules] = useState<Schedule[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => { api<{ items: Schedule[] }>('GET', '/schedules').then((d) => setSchedules(d.items), (e: Error) => setError(e.message)); }, []);
  if (error) return <p className="error">{error}</p>;
  if (!schedules) return <p>{t.loading}</p>;
  return <>{schedules.map((s) => <ScheduleCard key={s.name} initial={s} />)}</>;
}

/**
 * One schedule: a cron editor with its plain-language reading and next 5 runs (previewed in the
 * browser while typing, then the server's answer once saved), enable/disable, run now, history.
 */
function ScheduleCard({ initial }: { initial: Schedule }) {
  const { t, lang } = useI18n();
  const [schedule, setSchedule] = useState(initial);
  const [cron, setCron] = useState(initial.cron);
  const [runs, setRuns] = useState<Run[]>([]);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const isDirty = cron.trim() !== schedule.cron;
  const preview = nextRuns(cron, schedule.timezone);
  const shown = isDirty ? preview.runs.map((d) => d.toISOString()) : schedule.nextRuns;
  const loadRuns = () => api<{ items: Run[] }>('GET', `/schedules/${schedule.name}/runs?limit=5`).then((d) => setRuns(d.items), () => setRuns([]));
  useEffect(() => { void loadRuns(); }, []); // eslint-disable-line react-hooks/exhaustive-deps
  const patch = (body: { cron?: string; enabled?: boolean }) =>
    api<Schedule>('PATCH', `/schedules/${schedule.name}`, body).then((s) => { setSchedule(s); setCron(s.cron); setMessage({ ok: true, text: t.saved }); }, (e: Error) => setMessage({ ok: false, text: e.message }));
  const runNow = () => api<Run>('POST', `/schedules/${schedule.name}/run`).then((r) => { setMessage({ ok: r.outcome !== 'failed', text: `${t.runNow}: ${outcomeLabel(r.outcome, t)}${r.error ? ` — ${r.error}` : ''}` }); void loadRuns(); }, (e: Error) => setMessage({ ok: false, text: e.message }));

  return (
    <div className="card" data-schedule={schedule.name}>
      <h3>{jobTitle(schedule.name, t)} <small className="muted">{jobDescription(schedule.name, schedule.description, t)}</small></h3>
      <div className="row">
        <label>{t.cron} ({schedule.timezone})<input aria-label={`cron ${schedule.name}`} value={cron} onChange={(e) => setCron(e.target.value)} /></label>
        <button onClick={() => patch({ cron: cron.trim() })} disabled={Boolean(preview.error) || !isDirty}>{t.save}</button>
        <label style={{ flexDirection: 'row', alignItems: 'center' }}>
          <input type="checkbox" aria-label={`enabled ${schedule.name}`} checked={schedule.enabled} onChange={(e) => patch({ enabled: e.target.checked })} /> {t.enabled}
        </label>
        <button className="secondary" onClick={runNow}>{t.runNow}</button>
      </div>
      <p data-testid="cron-description"><strong>{preview.error ? <span className="error">{preview.error}</span> : describeCron(cron, lang)}</strong>{isDirty && <span className="muted"> · {t.unsaved}</span>}</p>
      {message && <p className={message.ok ? 'ok' : 'error'} role="status">{message.text}</p>}
      <div className="grid">
        <div>
          <h4>{t.nextRuns}</h4>
          {shown.length === 0 ? <p className="muted">{schedule.enabled ? t.none : t.botOff}</p> : (
            <ol data-testid="next-runs">{shown.map((iso) => <li key={iso}>{new Date(iso).toLocaleString(lang, { timeZone: schedule.timezone, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })}</li>)}</ol>
          )}
          <small className="muted">{t.lastFired}: {schedule.lastFiredAt ? new Date(schedule.lastFiredAt).toLocaleString(lang) : '—'}</small>
        </div>
        <div>
          <h4>{t.history}</h4>
          {runs.length === 0 ? <p>{t.none}</p> : (
            <table data-testid="run-history">
              <thead><tr><th>{t.at}</th><th>{t.trigger2}</th><th>{t.outcome}</th><th>{t.duration}</th></tr></thead>
              <tbody>{runs.map((r) => <tr key={r.id}><td>{new Date(r.startedAt).toLocaleString(lang)}</td><td>{r.trigger === 'manual' ? t.runByHand : t.runOnSchedule}</td><td title={r.error ?? ''}>{outcomeLabel(r.outcome, t)}</td><td>{r.durationMs ?? '—'} ms</td></tr>)}</tbody>
            </table>
          )}
        </div>
      </div>
    </div>
  );
}
