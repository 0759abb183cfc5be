import { useEffect, useState } from 'react';
import { api, ApiError, issuesByPath } from '../api.ts';
import { fill, useI18n, type Lang, type Messages } from '../i18n.ts';
import { broadcastStatusLabel, languageLabel, platformLabel } from '../labels.ts';
import type { Broadcast, Progress } from './campaign-types.ts';
import { describeSendTime, initialSendTime, SEND_TIME_FIELD_OF_CODE, SendTimePicker, sendTimeBody } from './send-time-picker.tsx';

type DraftPick = '' | 'recommended' | 'cross_sell' | 'next_in_path';
interface DraftVariant { key: string; zh: string; en: string; pick: DraftPick }
/** Part of the audience reads a language some variants have no text in. */
interface LanguageGap { language: Lang; followers: number; total: number; variants: string[] }
interface PickShare { courseId: string; titleZh: string; titleEn: string; pick: 'recommended' | 'cross_sell' | 'next_in_path'; followers: number; share: number }
interface Preview {
  size: number;
  sample: { followerId: string; locale: string; timeZone: string; platform: string }[];
  excluded?: { opted_out: number; no_consent: number; unreachable: number; no_chat: number; risk_review: number; total: number };
  picks?: { sampled: number; courses: PickShare[]; noOffer: number; noSignal?: number };
}

/** The lifecycle stages of core/followers/lifecycle.ts, the ones the persona shows, with their labels. */
const LIFECYCLE = [['new', 'stageNew'], ['engaged', 'stageEngaged'], ['customer', 'stageCustomer'], ['at-risk', 'stageAtRisk'], ['dormant', 'stageDormant']] as const;

/** Why messages were skipped, in words. */
const SKIP_REASONS: Record<string, keyof Messages> = {
  opted_out: 'excludedOptedOut', no_consent: 'excludedNoConsent', unreachable: 'excludedUnreachable', capped: 'caps',
  in_handoff: 'skipInHandoff', risk_review: 'skipRiskReview', no_signal: 'skipNoSignal', outranked: 'skipOutranked', no_offer: 'noOffer',
};

export function BroadcastsPage() {
  const { t, lang } = useI18n();
  const [name, setName] = useState('');
  const [platforms, setPlatforms] = useState<string[]>([]);
  const [lifecycle, setLifecycle] = useState<string[]>([]);
  const [tags, setTags] = useState('');
  const [topPercent, setTopPercent] = useState('');
  const [churn, setChurn] = useState('');
  const [variants, setVariants] = useState<DraftVariant[]>([{ key: 'A', zh: '', en: '', pick: '' }]);
  const [priority, setPriority] = useState(0);
  const [holdoutPercent, setHoldoutPercent] = useState(0);
  const [allocation, setAllocation] = useState<'ab' | 'bandit'>('ab');
  const [sendTime, setSendTime] = useState(initialSendTime);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [recent, setRecent] = useState<Broadcast[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [gaps, setGaps] = useState<LanguageGap[] | null>(null);

  const segment = () => ({
    ...(platforms.length ? { platforms } : {}),
    ...(lifecycle.length ? { lifecycle } : {}),
    ...(tags.trim() ? { interestTags: tags.split(/[,，\s]+/).filter(Boolean) } : {}),
    ...(Number(topPercent) > 0 ? { topPropensityPercent: Math.min(100, Math.round(Number(topPercent))) } : {}),
    ...(churn ? { churnRisk: churn } : {}),
  });
  const loadRecent = () => api<{ items: Broadcast[] }>('GET', '/broadcasts?limit=10').then((d) => setRecent(d.items), (e: Error) => setError(e.message));
  useEffect(() => { void loadRecent(); }, []);
  // While anything is still going out, the list re-reads its progress, so it says what the detail says.
  const isSending = recent.some((b) => b.status === 'sending');
  useEffect(() => {
    if (!isSending) return;
    const timer = setInterval(() => void loadRecent(), 1500);
    return () => clearInterval(timer);
  }, [isSending]); // eslint-disable-line react-hooks/exhaustive-deps

  const pick = variants.find((v) => v.pick)?.pick;
  const doPreview = () => api<Preview>('POST', '/segments/preview', { segment: segment(), sampleSize: 5, ...(pick ? { pick } : {}) }).then((p) => { setError(''); setPreview(p); }, (e: Error) => setError(e.message));
  /** Before sending: which languages of the audience some variant has no text for, and how many followers read them. */
  const checkLanguages = async () => {
    const found: LanguageGap[] = [];
    const total = (await api<Preview>('POST', '/segments/preview', { segment: segment(), sampleSize: 0 })).size;
    for (const language of ['zh-CN', 'en'] as const) {
      const variantsWithout = variants.filter((v) => !(language === 'zh-CN' ? v.zh : v.en).trim() && (language === 'zh-CN' ? v.en : v.zh).trim()).map((v) => v.key);
      if (variantsWithout.length === 0) continue;
      const followers = (await api<Preview>('POST', '/segments/preview', { segment: { ...segment(), locales: [language] }, sampleSize: 0 })).size;
      if (followers > 0) found.push({ language, followers, total, variants: variantsWithout });
    }
    return found;
  };
  const trySend = () => checkLanguages().then((found) => { setGaps(found); if (found.length === 0) void send(); }, (e: Error) => setError(e.message));
  const send = () =>
    api<{ broadcast: Broadcast; enqueued: number; audienceSize: number }>('POST', '/broadcasts', {
      name,
      segment: segment(),
      allocation,
      priority,
      holdoutPercent,
      variants: variants.map((v) => ({ key: v.key, text: { ...(v.zh.trim() ? { 'zh-CN': v.zh } : {}), ...(v.en.trim() ? { en: v.en } : {}) }, ...(v.pick ? { pick: v.pick } : {}) })),
      sendTime: sendTimeBody(sendTime),
    }).then(
      (res) => { setError(''); setIssues({}); setGaps(null); setSelected(res.broadcast.id); void loadRecent(); },
      (e: Error) => {
        const field = e instanceof ApiError ? SEND_TIME_FIELD_OF_CODE[e.code] : undefined;
        setError(e.message);
        setIssues(field ? { ...issuesByPath(e), [field]: e.message } : issuesByPath(e));
      },
    );
  const toggle = (list: string[], set: (v: string[]) => void, value: string, on: boolean) => set(on ? [...list, value] : list.filter((x) => x !== value));
  const editVariant = (i: number, patch: Partial<DraftVariant>) => setVariants(variants.map((x, j) => (j === i ? { ...x, ...patch } : x)));

  return (
    <>
      <div className="card" aria-label="audience">
        <h3>{t.audience}</h3>
        <div className="row">
          <fieldset className="row"><legend>{t.platforms}</legend>
            {['telegram', 'wechat'].map((p) => (
              <label key={p} style={{ flexDirection: 'row', alignItems: 'center' }}>
                <input type="checkbox" aria-label={p} checked={platforms.includes(p)} onChange={(e) => toggle(platforms, setPlatforms, p, e.target.checked)} /> {platformLabel(p, t)}
              </label>
            ))}
          </fieldset>
          <fieldset className="row"><legend>{t.lifecycle}</legend>
            {LIFECYCLE.map(([p, label]) => (
              <label key={p} style={{ flexDirection: 'row', alignItems: 'center' }}>
                <input type="checkbox" aria-label={p} checked={lifecycle.includes(p)} onChange={(e) => toggle(lifecycle, setLifecycle, p, e.target.checked)} /> {t[label]}
              </label>
            ))}
          </fieldset>
          <label>{t.tags}<input aria-label="interest tags" value={tags} onChange={(e) => setTags(e.target.value)} placeholder="python, photography" /></label>
          <label>{t.topPropensity}<input aria-label="top propensity percent" type="number" min={1} max={100} value={topPercent} style={{ width: 80 }} onChange={(e) => setTopPercent(e.target.value)} /></label>
          <label>{t.churnRiskLabel}
            <select aria-label="churn risk" value={churn} onChange={(e) => setChurn(e.target.value)}>
              <option value="">{t.churnAny}</option><option value="high">{t.churnHigh}</option><option value="medium">{t.churnMedium}</option><option value="low">{t.churnLow}</option>
            </select>
          </label>
          <button className="secondary" onClick={doPreview}>{t.preview}</button>
        </div>
        {preview && (
          <div data-testid="audience-preview">
            <p>{t.matched}: <strong data-testid="audience-count">{preview.size}</strong></p>
            {preview.excluded && preview.excluded.total > 0 && (
              <p className="muted" data-testid="audience-excluded">{t.excluded}: {([
                ['opted_out', t.excludedOptedOut], ['no_consent', t.excludedNoConsent], ['unreachable', t.excludedUnreachable], ['no_chat', t.excludedNoChat], ['risk_review', t.excludedRiskReview],
              ] as const).filter(([k]) => preview.excluded![k] > 0).map(([k, label]) => <span className="pill" key={k}>{label} {preview.excluded![k]}</span>)}</p>
            )}
            {preview.picks && (
              <div data-testid="pick-distribution">
                <p>{fill(t.pickDistribution, { n: String(preview.picks.sampled) })}</p>
                {preview.picks.courses.map((c) => (
                  <div className="row" key={`${c.courseId}:${c.pick}`}>
                    <span style={{ minWidth: 200 }}>{lang === 'zh-CN' ? c.titleZh : c.titleEn}</span>
                    <div className="interval" style={{ flex: 1 }}><span style={{ left: 0, width: `${c.share * 100}%` }} /></div>
                    <small>{c.followers} · {(c.share * 100).toFixed(0)}%</small>
                  </div>
                ))}
                {preview.picks.noOffer > 0 && <p className="muted">{t.noOffer}: {preview.picks.noOffer}</p>}
                {(preview.picks.noSignal ?? 0) > 0 && <p className="muted" data-testid="pick-no-signal">{t.skipNoSignal}: {preview.picks.noSignal}</p>}
              </div>
            )}
            {preview.sample.length > 0 && (
              <p className="muted">{t.sample}: {preview.sample.map((m) => <span className="pill" key={m.followerId}>{platformLabel(m.platform, t)} · {languageLabel(m.locale, t)} · {m.timeZone}</span>)}</p>
            )}
          </div>
        )}
      </div>
      <div className="card" aria-label="composer">
        <div className="row">
          <label style={{ flex: 1 }}>{t.name}<input aria-label="broadcast name" value={name} onChange={(e) => setName(e.target.value)} /></label>
          <label>{t.allocation}
            <select aria-label="allocation" value={allocation} onChange={(e) => setAllocation(e.target.value as 'ab' | 'bandit')}>
              <option value="ab">{t.allocationAb}</option><option value="bandit">{t.allocationBandit}</option>
            </select>
          </label>
          <label>{t.priority}<input aria-label="priority" type="number" min={-100} max={100} value={priority} style={{ width: 80 }} onChange={(e) => setPriority(Number(e.target.value) || 0)} /></label>
          <label>{t.holdoutPercent}<input aria-label="holdout" type="number" min={0} max={50} value={holdoutPercent} style={{ width: 80 }} onChange={(e) => setHoldoutPercent(Number(e.target.value) || 0)} /></label>
        </div>
        <h3>{t.variants}</h3>
        {variants.map((v, i) => (
          <div className="row" key={i}>
            <label>{t.variantKey}<input aria-label={`variant ${i + 1} key`} value={v.key} style={{ width: 60 }} onChange={(e) => editVariant(i, { key: e.target.value })} /></label>
            <label style={{ flex: 1 }}>中文<textarea aria-label={`variant ${v.key} zh`} rows={2} value={v.zh} onChange={(e) => editVariant(i, { zh: e.target.value })} /></label>
            <label style={{ flex: 1 }}>English<textarea aria-label={`variant ${v.key} en`} rows={2} value={v.en} onChange={(e) => editVariant(i, { en: e.target.value })} /></label>
            <label>{t.courseOnCard}
              <select aria-label={`variant ${v.key} course`} value={v.pick} title={v.pick ? t.pickHelp : undefined} onChange={(e) => editVariant(i, { pick: e.target.value as DraftPick })}>
                <option value="">{t.pickNone}</option><option value="recommended">{t.pickRecommended}</option><option value="cross_sell">{t.pickCrossSell}</option>
                <option value="next_in_path">{t.pickNextInPath}</option>
              </select>
              {v.pick && <small className="muted">{t.pickHelp}</small>}
            </label>
          </div>
        ))}
        <div className="row">
          <button className="secondary" onClick={() => setVariants([...variants, { key: String.fromCharCode(65 + variants.length), zh: '', en: '', pick: '' }])} disabled={variants.length >= 5}>{t.addVariant}</button>
        </div>
        <SendTimePicker value={sendTime} onChange={setSendTime} issues={issues} />
        <div className="row">
          <button onClick={trySend} disabled={!name.trim() || (gaps?.length ?? 0) > 0}>{t.send}</button>
        </div>
        {gaps && gaps.length > 0 && (
          <div className="warning" role="alert" data-testid="language-warning">
            {gaps.map((g) => (
              <p key={g.language}>{fill(t.missingLanguage, {
                n: String(g.followers), total: String(g.total), language: languageLabel(g.language, t), variants: g.variants.join(', '),
                other: languageLabel(g.language === 'en' ? 'zh-CN' : 'en', t),
              })}</p>
            ))}
            <div className="row">
              <button onClick={() => { setGaps(null); void send(); }}>{t.sendAnyway}</button>
              <button className="secondary" onClick={() => setGaps(null)}>{t.addMissingText}</button>
            </div>
          </div>
        )}
        {error && <p className="error" role="alert">{error}</p>}
      </div>
      {selected && <BroadcastProgress id={selected} onChanged={loadRecent} />}
      <div className="card">
        <h3>{t.recent}</h3>
        {recent.length === 0 ? <p>{t.none}</p> : (
          <table data-testid="broadcast-list">
            <thead><tr><th>{t.name}</th><th>{t.status}</th><th>{t.variants}</th><th>{t.sendWhen}</th><th>{t.audienceSize}</th><th>{t.sent}</th><th>{t.skipped}</th><th /></tr></thead>
            <tbody>{recent.map((b) => (
              <tr key={b.id} data-broadcast={b.name}>
                <td>{b.name}</td><td><span className="pill" data-status={b.status}>{broadcastStatusLabel(b.status, t)}</span></td>
                <td>{b.variants.map((v) => v.key).join(' / ')} ({b.allocation === 'bandit' ? t.allocationBandit : t.allocationAb})</td><td>{describeSendTime(b, t, lang)}</td>
                <td>{b.audienceSize ?? '—'}</td><td data-cell="sent">{b.progress ? `${b.progress.sent}/${b.progress.total}` : '—'}</td>
                <td data-cell="skipped">{b.progress ? b.progress.skipped.total : '—'}</td>
                <td><button className="link" onClick={() => setSelected(b.id)}>{t.progress}</button></td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </div>
    </>
  );
}

const SEGMENTS: { key: keyof Progress & keyof Messages; color: string }[] = [
  { key: 'sent', color: '#2e7d32' }, { key: 'sending', color: '#2f6fec' }, { key: 'queued', color: '#9fb6e8' },
  { key: 'failed', color: '#c62828' }, { key: 'blocked', color: '#8e5b00' }, { key: 'cancelled', color: '#9aa1b1' },
];

/** Live progress of one broadcast, polled every second until it is finished. */
function BroadcastProgress({ id, onChanged }: { id: string; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const [state, setState] = useState<{ broadcast: Broadcast; progress: Progress } | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () => api<{ broadcast: Broadcast; progress: Progress }>('GET', `/broadcasts/${id}`).then((s) => {
      setState(s);
      // The list re-reads too, so both always show the same counts.
      onChanged();
      if (s.broadcast.status !== 'completed' && s.broadcast.status !== 'cancelled') timer = setTimeout(poll, 1000);
    }, (e: Error) => setError(e.message));
    void poll();
    return () => clearTimeout(timer);
  }, [id]); // eslint-disable-line react-hooks/exhaustive-deps
  const control = (command: 'pause' | 'resume' | 'cancel') =>
    api<{ broadcast: Broadcast; progress: Progress }>('POST', `/broadcasts/${id}/${command}`).then(setState, (e: Error) => setError(e.message));
  if (error) return <p className="error">{error}</p>;
  if (!state) return <p>{t.loading}</p>;
  const { broadcast: b, progress: p } = state;
  const skipped = p.skipped.total;
  const held = p.held.quiet_hours + p.held.rate_limited + p.held.retry;
  return (
    <div className="card" data-testid="broadcast-progress" data-status={b.status} data-id={b.id}>
      <h3>{t.progress}: {b.name} <span className="pill" data-testid="broadcast-status" data-status={b.status}>{broadcastStatusLabel(b.status, t)}</span></h3>
      <p className="muted">{t.sendWhen}: <span data-testid="broadcast-send-mode" data-mode={b.sendMode}>{describeSendTime(b, t, lang)}</span></p>
      <div className="bar">{SEGMENTS.map((s) => <span key={s.key} title={t[s.key]} style={{ width: `${p.total ? ((p[s.key] as number) / p.total) * 100 : 0}%`, background: s.color }} />)}</div>
      <div className="stats">
        <div><span className="muted">{t.audienceSize}</span><strong>{p.total}</strong></div>
        {SEGMENTS.map((s) => <div key={s.key} data-stat={s.key}><span className="muted">{t[s.key]}</span><strong>{p[s.key] as number}</strong></div>)}
        <div data-stat="delivered"><span className="muted">{t.delivered}</span><strong>{p.delivered}</strong></div>
        <div data-stat="skipped"><span className="muted">{t.skipped}</span><strong>{skipped}</strong></div>
        <div><span className="muted">{t.held}</span><strong>{held}</strong></div>
      </div>
      {skipped > 0 && (
        <p className="muted" data-testid="skip-reasons">
          {t.skippedBecause}: {Object.entries(SKIP_REASONS).filter(([reason]) => (p.skipped[reason] ?? 0) > 0).map(([reason, key]) => `${t[key] as string} ${p.skipped[reason]}`).join(' · ')}
        </p>
      )}
      <div className="row">
        {b.status === 'sending' || b.status === 'scheduled' ? <button className="secondary" onClick={() => control('pause')}>{t.pause}</button> : null}
        {b.status === 'paused' ? <button className="secondary" onClick={() => control('resume')}>{t.resume}</button> : null}
        {b.status !== 'completed' && b.status !== 'cancelled' ? <button className="danger" onClick={() => control('cancel')}>{t.cancel}</button> : null}
      </div>
    </div>
  );
}
