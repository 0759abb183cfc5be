import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { fill, useI18n, type Messages } from '../i18n.ts';

interface Item {
  id: string; followerId: string; followerName: string | null; platform: string; reason: 'asked' | 'not_understood' | 'refund' | 'complaint';
  status: 'open' | 'answered' | 'closed'; openedAt: string; waitingSeconds: number | null; courseTitle: { zh: string; en: string } | null;
}
interface Follower {
  displayName: string | null; locale: string; lifecycle: string; interests: { tag: string; zh: string; en: string }[]; priceBand: string;
  ownedCourses: { id: string; zh: string; en: string }[]; finishedCourses: number; isOptedOut: boolean; hasMarketingConsent: boolean;
}
type Message = { from: 'follower' | 'staff'; at: string; text: string; status?: string; error?: string | null };
interface Thread { handoff: Item; follower: Follower; messages: Message[] }

const REASONS: Record<Item['reason'], keyof Messages> = { asked: 'reasonAsked', not_understood: 'reasonNotUnderstood', refund: 'reasonRefund', complaint: 'reasonComplaint' };
const STATUSES: Record<Item['status'], keyof Messages> = { open: 'handoffOpen', answered: 'handoffAnswered', closed: 'handoffClosed' };
const STAGES: Record<string, keyof Messages> = { new: 'stageNew', engaged: 'stageEngaged', customer: 'stageCustomer', 'at-risk': 'stageAtRisk', dormant: 'stageDormant' };
const BANDS: Record<string, keyof Messages> = { budget: 'bandBudget', mid: 'bandMid', premium: 'bandPremium', unknown: 'bandUnknown' };

/** "12 min", "3 h 5 min", "2 d 4 h" in the console's language. */
function waited(seconds: number, t: Messages): string {
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return fill(t.waitMinutes, { m: String(minutes) });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return fill(t.waitHours, { h: String(hours), m: String(minutes % 60) });
  return fill(t.waitDays, { d: String(Math.floor(hours / 24)), h: String(hours % 24) });
}

/** Hand-offs to a person: the waiting ones first with how long they have waited; a thread with the follower in words, replies and Close. */
export function InboxPage() {
  const { t, lang } = useI18n();
  const [items, setItems] = useState<Item[] | null>(null);
  const [thread, setThread] = useState<Thread | null>(null);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState('');
  const title = (c: { zh: string; en: string }) => (lang === 'en' ? c.en : c.zh);

  const load = () => api<{ items: Item[] }>('GET', '/inbox?pageSize=100').then((page) => setItems(page.items), (e: Error) => setError(e.message));
  useEffect(() => { void load(); }, []); // eslint-disable-line react-hooks/exhaustive-deps
  const open = (id: string) => api<Thread>('GET', `/inbox/${id}`).then(setThread, (e: Error) => setError(e.message));

  const send = async () => {
    if (!thread || !draft.trim()) return;
    setError('');
    // One key per reply typed: a retry after a network error is the same reply, sent once.
    const clientKey = `console-${crypto.randomUUID()}`;
    try {
      await api('POST', `/inbox/${thread.handoff.id}/replies`, { text: draft, clientKey });
      setDraft('');
    } catch (e) {
      setError((e as Error).message);
    }
    await open(thread.handoff.id);
    await load();
  };
  const close = async () => {
    if (!thread) return;
    await api('POST', `/inbox/${thread.handoff.id}/close`).catch((e: Error) => setError(e.message));
    setThread(null);
    await load();
  };

  const f = thread?.follower;
  return (
    <>
      {error && <p className="error" role="alert">{error}</p>}
      <div className="grid">
        <div className="card">
          {!items ? <p>{t.loading}</p> : items.length === 0 ? <p>{t.inboxEmpty}</p> : (
            <table data-testid="inbox-list">
              <thead><tr><th>{t.follower}</th><th>{t.reason}</th><th>{t.status}</th><th>{t.waiting}</th></tr></thead>
              <tbody>
                {items.map((i) => (
                  <tr key={i.id} data-handoff={i.id} onClick={() => open(i.id)} style={{ cursor: 'pointer' }}>
                    <td>{i.followerName ?? '—'} <span className="pill">{i.platform === 'wechat' ? t.platformWechat : t.platformTelegram}</span></td>
                    <td>{t[REASONS[i.reason]] as string}{i.courseTitle ? ` · ${title(i.courseTitle)}` : ''}</td>
                    <td>{t[STATUSES[i.status]] as string}</td>
                    <td data-testid="waiting">{i.waitingSeconds === null ? t.notWaiting : waited(i.waitingSeconds, t)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        {thread && f && (
          <div className="card" data-testid="inbox-thread">
            <h3>{f.displayName ?? t.follower} · {t[REASONS[thread.handoff.reason]] as string}</h3>
            <p data-testid="persona-summary">
              {fill(t.personaSummary, { stage: t[STAGES[f.lifecycle] ?? 'stageNew'] as string, band: t[BANDS[f.priceBand] ?? 'bandUnknown'] as string, language: f.locale === 'en' ? 'English' : '中文' })}
              {f.interests.length > 0 && <> {fill(t.personaInterests, { tags: f.interests.map((i) => (lang === 'en' ? i.en : i.zh)).join(lang === 'en' ? ', ' : '、') })}</>}
              {' '}{f.ownedCourses.length > 0 ? fill(t.personaOwns, { courses: f.ownedCourses.map(title).join(lang === 'en' ? ', ' : '、'), finished: String(f.finishedCourses) }) : t.personaOwnsNothing}
              {' '}{f.isOptedOut ? t.personaOptedOut : f.hasMarketingConsent ? t.personaConsents : t.personaNoConsent}
            </p>
            <div className="thread">
              {thread.messages.map((m, i) => (
                <p key={i} className={m.from === 'staff' ? 'staff' : 'follower'} data-from={m.from}>
                  <small className="muted">{m.from === 'staff' ? t.staff : t.follower} · {new Date(m.at).toLocaleString(lang)}{m.status === 'failed' ? ` · ${t.notDelivered}` : ''}</small><br />{m.text}
                </p>
              ))}
            </div>
            {thread.handoff.status !== 'closed' && (
              <>
                <textarea data-testid="reply-box" rows={3} style={{ width: '100%' }} value={draft} placeholder={t.replyPlaceholder} onChange={(e) => setDraft(e.target.value)} />
                <div className="row">
                  <button onClick={send} disabled={!draft.trim()}>{t.sendReply}</button>
                  <button className="secondary" onClick={close}>{t.closeHandoff}</button>
                </div>
              </>
            )}
          </div>
        )}
      </div>
    </>
  );
}
