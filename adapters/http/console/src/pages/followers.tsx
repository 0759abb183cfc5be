import { useEffect, useRef, useState } from 'react';
import { api, money } from '../api.ts';
import { fill, useI18n, type Messages } from '../i18n.ts';
import { ago, amounts, languageLabel, platformLabel, titleIn } from '../labels.ts';

interface Follower {
  id: string; displayName: string | null; locale: string; identities: { kind: string; externalId: string }[]; eventCount: number; lastSeenAt: string | null;
  createdAt: string; isOptedOut: boolean; hasMarketingConsent: boolean; paidOrders: number; spent: { currency: string; amountMinor: number }[];
}
interface TimelineEvent { id: number; kind: string; platform: string; courseId: string | null; courseTitleZh: string | null; courseTitleEn: string | null; payload: Record<string, unknown> | null; occurredAt: string }
interface Persona {
  interests: { tag: string; weight: number; zh: string; en: string }[];
  rfm: { recencyDays: number | null; frequency30d: number; monetary: { currency: string; amountMinor: number }[] };
  lifecycle: string; activeHours: number[]; peakHour: number | null; priceBand: string;
  learning: { finishedCourses: number; lastLessonAt: string | null }; timeZone: string;
  /** Purchase propensity and churn risk in words, from the last scoring run. */
  outlook?: { 'zh-CN': string; en: string };
}
interface Filters { q: string; platform: string; audience: string; locale: string; sort: string; page: number }

const PAGE_SIZE = 25;
const STAGES: Record<string, keyof Messages> = { new: 'stageNew', engaged: 'stageEngaged', customer: 'stageCustomer', 'at-risk': 'stageAtRisk', dormant: 'stageDormant' };
const BANDS: Record<string, keyof Messages> = { budget: 'bandBudget', mid: 'bandMid', premium: 'bandPremium', unknown: 'bandUnknown' };
const SORTS: [string, keyof Messages][] = [
  ['last_seen:desc', 'sortLastSeen'], ['first_seen:desc', 'sortFirstSeenNew'], ['first_seen:asc', 'sortFirstSeenOld'], ['events:desc', 'sortEvents'], ['orders:desc', 'sortOrders'], ['name:asc', 'sortName'],
];
const EVENT_TEXT: Record<string, keyof Messages> = {
  follow: 'evFollow', unfollow: 'evUnfollow', message: 'evMessage', view: 'evView', click: 'evClick', like: 'evLike', share: 'evShare', comment: 'evComment',
  checkout: 'evCheckout', purchase: 'evPurchase', refund: 'evRefund', lesson_open: 'evLessonOpen', lesson_complete: 'evLessonComplete', check_in: 'evCheckIn',
};

const query = (f: Filters) => {
  const [sort, order] = f.sort.split(':') as [string, string];
  return new URLSearchParams({ page: String(f.page), pageSize: String(PAGE_SIZE), sort, order, ...(f.q.trim() ? { q: f.q.trim() } : {}),
    ...(f.platform ? { platform: f.platform } : {}), ...(f.audience ? { audience: f.audience } : {}), ...(f.locale ? { locale: f.locale } : {}) });
};
const platformsOf = (f: Follower) => [...new Set(f.identities.map((i) => i.kind.startsWith('mp_') ? 'miniprogram' : i.kind))];

/** Followers: paged, filtered and sorted; one follower's persona in sentences and small charts, and what they did, in words. */
export function FollowersPage() {
  const { t, lang } = useI18n();
  const [filters, setFilters] = useState<Filters>({ q: '', platform: '', audience: '', locale: '', sort: 'last_seen:desc', page: 1 });
  const [search, setSearch] = useState('');
  /** The rows shown and the page number they are (the filters may already ask for the next one). */
  const [page, setPage] = useState<{ items: Follower[]; total: number; number: number } | null>(null);
  const [selected, setSelected] = useState<Follower | null>(null);
  const [persona, setPersona] = useState<Persona | null>(null);
  const [timeline, setTimeline] = useState<TimelineEvent[]>([]);
  const [message, setMessage] = useState('');

  // Filters change faster than answers come back: only the answer to the latest request is shown.
  const latest = useRef(0);
  const load = () => {
    const request = ++latest.current;
    const asked = filters.page;
    return api<{ items: Follower[]; total: number }>('GET', `/followers?${query(filters)}`).then(
      (p) => { if (request === latest.current) { setMessage(''); setPage({ ...p, number: asked }); } },
      (e: Error) => setMessage(e.message),
    );
  };
  useEffect(() => { void load(); }, [filters]); // eslint-disable-line react-hooks/exhaustive-deps
  const change = (patch: Partial<Filters>) => setFilters({ ...filters, ...patch, page: patch.page ?? 1 });

  const open = async (f: Follower) => {
    setSelected(f);
    setPersona(null);
    setPersona(await api<Persona>('GET', `/followers/${f.id}/persona`).catch((e: Error) => { setMessage(e.message); return null; }));
    setTimeline((await api<{ items: TimelineEvent[] }>('GET', `/followers/${f.id}/timeline?limit=50`)).items);
  };
  const exportData = async (f: Follower) => {
    const data = await api('GET', `/followers/${f.id}/export`);
    const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: `follower-${f.id}.json` });
    a.click();
    URL.revokeObjectURL(url);
  };
  const remove = async (f: Follower) => {
    if (!window.confirm(t.confirmDelete)) return;
    await api('DELETE', `/followers/${f.id}`);
    setSelected(null);
    await load();
  };
  const pages = page ? Math.max(1, Math.ceil(page.total / PAGE_SIZE)) : 1;

  return (
    <>
      <div className="row" data-testid="follower-filters">
        <input aria-label="search followers" placeholder={t.search} value={search} onChange={(e) => setSearch(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && change({ q: search })} />
        <button onClick={() => change({ q: search })}>{t.search}</button>
        <select aria-label="platform" value={filters.platform} onChange={(e) => change({ platform: e.target.value })}>
          <option value="">{t.allPlatforms}</option>
          {['telegram', 'wechat', 'miniprogram'].map((p) => <option key={p} value={p}>{platformLabel(p, t)}</option>)}
        </select>
        <select aria-label="audience" value={filters.audience} onChange={(e) => change({ audience: e.target.value })}>
          <option value="">{t.allAudiences}</option><option value="consented">{t.audConsented}</option><option value="opted_out">{t.audOptedOut}</option><option value="buyers">{t.audBuyers}</option>
        </select>
        <select aria-label="language" value={filters.locale} onChange={(e) => change({ locale: e.target.value })}>
          <option value="">{t.allLanguages}</option><option value="zh-CN">{t.langZh}</option><option value="en">{t.langEn}</option>
        </select>
        <label className="check">{t.sortBy}
          <select aria-label="sort" value={filters.sort} onChange={(e) => change({ sort: e.target.value })}>
            {SORTS.map(([value, key]) => <option key={value} value={value}>{t[key] as string}</option>)}
          </select>
        </label>
        {message && <span className="error">{message}</span>}
      </div>
      <div className="grid">
        <div className="card">
          {!page ? <p>{t.loading}</p> : page.items.length === 0 ? <p>{t.none}</p> : (
            <>
              <table data-testid="follower-list">
                <thead><tr><th>{t.name}</th><th>{t.colPlatforms}</th><th>{t.colLanguage}</th><th>{t.colLastSeen}</th><th>{t.colEvents}</th><th>{t.colBought}</th></tr></thead>
                <tbody>
                  {page.items.map((f) => (
                    <tr key={f.id} data-follower={f.id} onClick={() => open(f)} style={{ cursor: 'pointer' }} className={selected?.id === f.id ? 'selected' : ''}>
                      <td>{f.displayName ?? `${t.follower} ${f.id.slice(0, 8)}`}</td>
                      <td>{platformsOf(f).map((p) => <span className="pill" key={p}>{platformLabel(p, t)}</span>)}</td>
                      <td>{languageLabel(f.locale, t)}</td>
                      <td>{f.lastSeenAt ? ago(f.lastSeenAt, lang) : '—'}</td>
                      <td>{f.eventCount}</td>
                      <td>{f.paidOrders > 0 ? fill(t.boughtShort, { n: String(f.paidOrders), amount: amounts(f.spent, money) }) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <div className="row pager">
                <button className="secondary" disabled={filters.page <= 1} onClick={() => change({ page: filters.page - 1 })}>{t.prev}</button>
                <span data-testid="follower-page">{fill(t.pageOf, { page: String(page.number), pages: String(pages), total: String(page.total) })}</span>
                <button className="secondary" disabled={filters.page >= pages} onClick={() => change({ page: filters.page + 1 })}>{t.next}</button>
              </div>
            </>
          )}
        </div>
        {selected && (
          <div className="card" data-testid="follower-detail">
            <h3>{selected.displayName ?? `${t.follower} ${selected.id.slice(0, 8)}`}</h3>
            <div className="row">
              <button className="secondary" onClick={() => exportData(selected)}>{t.export}</button>
              <button className="danger" onClick={() => remove(selected)}>{t.delete}</button>
            </div>
            <h4>{t.persona}</h4>
            {persona ? <PersonaView persona={persona} follower={selected} /> : <p>{t.loading}</p>}
            <h4>{t.timeline}</h4>
            <table data-testid="timeline"><tbody>{timeline.map((e) => (
              <tr key={e.id} data-kind={e.kind}>
                <td style={{ whiteSpace: 'nowrap' }}>{new Date(e.occurredAt).toLocaleString(lang)}</td>
                <td>{describeEvent(e, t, lang)}</td>
                <td><span className="pill">{platformLabel(e.platform, t)}</span></td>
              </tr>
            ))}</tbody></table>
          </div>
        )}
      </div>
    </>
  );
}

/** One event in words: what was said, viewed or bought, by course title. */
function describeEvent(e: TimelineEvent, t: Messages, lang: 'zh-CN' | 'en'): string {
  const text = typeof e.payload?.['text'] === 'string' ? (e.payload['text'] as string) : '';
  const course = e.courseTitleZh || e.courseTitleEn ? titleIn(lang, { titleZh: e.courseTitleZh, titleEn: e.courseTitleEn }) : t.someCourse;
  const key = EVENT_TEXT[e.kind];
  const sentence = key ? fill(t[key] as string, { platform: platformLabel(e.platform, t), text, course }) : e.kind;
  return e.kind === 'comment' && text ? `${sentence}: “${text}”` : sentence;
}

/** The hours around the peak that hold at least half its activity (at most 4), as "20:00–22:00". */
function activeWindow(hours: number[], peak: number): [string, string] {
  const top = hours[peak] ?? 0;
  let from = peak;
  let to = peak + 1;
  const busy = (h: number) => (hours[(h + 24) % 24] ?? 0) >= top / 2;
  while (to - from < 4 && (busy(from - 1) || busy(to))) {
    if (busy(from - 1) && (!busy(to) || (hours[(from + 23) % 24] ?? 0) >= (hours[to % 24] ?? 0))) from -= 1;
    else to += 1;
  }
  const hh = (h: number) => `${String((h + 24) % 24).padStart(2, '0')}:00`;
  return [hh(from), hh(to)];
}

/** The persona as sentences, interest bars and a 24-hour activity strip. */
function PersonaView({ persona: p, follower }: { persona: Persona; follower: Follower }) {
  const { t, lang } = useI18n();
  const [from, to] = p.peakHour === null ? ['', ''] : activeWindow(p.activeHours, p.peakHour);
  const lastActiveAt = p.rfm.recencyDays === null ? null : new Date(Date.now() - p.rfm.recencyDays * 86_400_000).toISOString();
  return (
    <div data-testid="persona">
      <p className="sentence" data-testid="persona-summary">
        {fill(t.personaSummary, { stage: t[STAGES[p.lifecycle] ?? 'stageNew'] as string, band: t[BANDS[p.priceBand] ?? 'bandUnknown'] as string, language: languageLabel(follower.locale, t) })}
      </p>
      <p className="sentence" data-testid="persona-bought">
        {follower.paidOrders > 0 ? fill(follower.paidOrders === 1 ? t.personaBoughtOne : t.personaBought, { n: String(follower.paidOrders), amount: amounts(follower.spent, money) }) : t.personaOwnsNothing}
      </p>
      <p className="sentence" data-testid="persona-active">
        {p.peakHour === null ? t.personaNoActivity : fill(t.personaActiveHours, { from, to, zone: p.timeZone })}
        {lastActiveAt && <>{lang === 'en' ? ' ' : ''}{fill(t.personaRecency, { ago: ago(lastActiveAt, lang), n: String(p.rfm.frequency30d) })}</>}
      </p>
      <p className="sentence">
        {p.learning.lastLessonAt ? fill(t.personaLearning, { n: String(p.learning.finishedCourses), ago: ago(p.learning.lastLessonAt, lang) }) : t.personaNotLearning}
        {lang === 'en' ? ' ' : ''}{follower.isOptedOut ? t.personaOptedOut : follower.hasMarketingConsent ? t.personaConsents : t.personaNoConsent}
      </p>
      {p.outlook && <p className="sentence" data-testid="persona-outlook">{lang === 'zh-CN' ? p.outlook['zh-CN'] : p.outlook.en}</p>}
      {p.interests.length > 0 && (
        <div data-testid="persona-interests">
          <small className="muted">{t.interests}</small>
          {p.interests.slice(0, 6).map((i) => (
            <div className="row" key={i.tag} style={{ marginBottom: 2 }}>
              <span style={{ minWidth: 110 }}>{lang === 'zh-CN' ? i.zh : i.en}</span>
              <div className="interval" style={{ flex: 1 }}><span style={{ left: 0, width: `${Math.round(i.weight * 100)}%` }} /></div>
            </div>
          ))}
        </div>
      )}
      {p.peakHour !== null && (
        <div data-testid="persona-hours" title={t.activeHoursChart}>
          <small className="muted">{t.activeHoursChart}</small>
          <div className="hours">{p.activeHours.map((n, h) => (
            <span key={h} className={h === p.peakHour ? 'peak' : ''} style={{ height: `${(n / Math.max(1, ...p.activeHours)) * 100}%` }} title={`${String(h).padStart(2, '0')}:00 · ${n}`} />
          ))}</div>
          <div className="row muted" style={{ justifyContent: 'space-between', fontSize: 11 }}><span>00:00</span><span>06:00</span><span>12:00</span><span>18:00</span><span>23:00</span></div>
        </div>
      )}
    </div>
  );
}
