import { useMemo } from 'react';
import { fill, useI18n, type Lang, type Messages } from '../i18n.ts';
import type { Broadcast } from './campaign-types.ts';
import { FieldError } from './field-error.tsx';

type SendMode = 'now' | 'creator_local' | 'follower_local' | 'best_time';
/** The composer's choice as typed; date, time and zone stay when the mode changes. */
export interface SendTimeDraft { mode: SendMode; date: string; time: string; timeZone: string }

const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Send now, with the zone picker preset to the browser's zone for when the admin picks a time. */
export const initialSendTime = (): SendTimeDraft => ({ mode: 'now', date: '', time: '', timeZone: browserTimeZone() });

/**
 * The `sendTime` of POST /broadcasts (sendTimeSchema in core/campaigns/campaign-types.ts).
 *
 * @example
 * sendTimeBody({ mode: 'follower_local', date: '2030-05-01', time: '09:30', timeZone: 'UTC' }); // { mode: 'follower_local', date: '2030-05-01', time: '09:30' }
 */
export function sendTimeBody(draft: SendTimeDraft) {
  if (draft.mode === 'creator_local') return { mode: draft.mode, date: draft.date, time: draft.time, timeZone: draft.timeZone };
  if (draft.mode === 'follower_local') return { mode: draft.mode, date: draft.date, time: draft.time };
  return { mode: draft.mode };
}

/** Errors the server answers without a field path, placed under the send-time field they are about. */
export const SEND_TIME_FIELD_OF_CODE: Record<string, string> = { invalid_time_zone: 'sendTime.timeZone', send_time_in_past: 'sendTime.date' };

const MODES: { mode: SendMode; label: keyof Messages }[] = [
  { mode: 'now', label: 'sendNow' }, { mode: 'creator_local', label: 'sendAtMyZone' }, { mode: 'follower_local', label: 'sendFollowerLocal' },
  { mode: 'best_time', label: 'sendBestTime' },
];

/** Now, at a wall time in a chosen zone (the browser's by default), or at a wall time in each follower's own zone. */
export function SendTimePicker({ value, onChange, issues }: { value: SendTimeDraft; onChange: (next: SendTimeDraft) => void; issues: Record<string, string> }) {
  const { t } = useI18n();
  const zones = useMemo(() => [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC', value.timeZone])].sort(), [value.timeZone]);
  const set = (patch: Partial<SendTimeDraft>) => onChange({ ...value, ...patch });
  return (
    <div className="composer-when">
      <fieldset className="row" aria-label="send time"><legend>{t.sendWhen}</legend>
        {MODES.map((m) => (
          <label className="check" key={m.mode}>
            <input type="radio" name="send-mode" value={m.mode} checked={value.mode === m.mode} onChange={() => set({ mode: m.mode })} /> {t[m.label]}
          </label>
        ))}
      </fieldset>
      {value.mode === 'best_time' && <small className="muted">{t.bestTimeHelp}</small>}
      {(value.mode === 'creator_local' || value.mode === 'follower_local') && (
        <div className="row">
          <label>{t.date}<input aria-label="send date" type="date" value={value.date} onChange={(e) => set({ date: e.target.value })} /><FieldError issues={issues} path="sendTime.date" /></label>
          <label>{t.time}<input aria-label="send time of day" type="time" value={value.time} onChange={(e) => set({ time: e.target.value })} /><FieldError issues={issues} path="sendTime.time" /></label>
          {value.mode === 'creator_local' ? (
            <label>{t.timezone}
              <select aria-label="time zone" value={value.timeZone} onChange={(e) => set({ timeZone: e.target.value })}>
                {zones.map((z) => <option key={z} value={z}>{z}</option>)}
              </select>
              <FieldError issues={issues} path="sendTime.timeZone" />
            </label>
          ) : (
            <small className="muted">{t.followerLocalHelp}</small>
          )}
        </div>
      )}
    </div>
  );
}

/**
 * When a stored broadcast goes out, in words: at once, at an instant (shown in the browser's zone), or at a wall time per follower.
 *
 * @example
 * describeSendTime({ sendMode: 'follower_local', localDate: '2030-05-01', localTime: '09:30', sendAt: null }, MESSAGES.en, 'en'); // "2030-05-01 09:30 in each follower's time zone"
 */
export function describeSendTime(b: Pick<Broadcast, 'sendMode' | 'sendAt' | 'localDate' | 'localTime'>, t: Messages, lang: Lang): string {
  if (b.sendMode === 'follower_local') return fill(t.sentFollowerLocal, { date: b.localDate ?? '', time: b.localTime ?? '' });
  if (b.sendMode === 'best_time') return t.sentBestTime;
  if (b.sendMode === 'at' && b.sendAt) {
    const at = new Date(b.sendAt).toLocaleString(lang, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
    return fill(t.sentAt, { at });
  }
  return t.sentAtOnce;
}
