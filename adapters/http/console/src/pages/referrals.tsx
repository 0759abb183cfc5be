import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, issuesByPath, money } from '../api.ts';
import type { Me } from '../app.tsx';
import { fill, REFERRAL_MESSAGES, useI18n, type Lang } from '../i18n.ts';
import { currencyLabel } from '../labels.ts';
import { FieldError } from './field-error.tsx';

interface Program {
  rewardPercentOff: number | null; rewardAmountOffMinor: number | null; rewardCurrency: string | null; rewardAmountOffStars: number | null;
  rewardValidDays: number; refundWindowDays: number; isActive: boolean;
}
interface Distributor { followerId: string; displayName: string | null; commissionBps: number; status: 'approved' | 'revoked'; decidedAt: string; referred: number }
interface Amount { amountMinor: number; currency: string }
interface PayoutLine { distributorFollowerId: string | null; displayName: string | null; currency: string; orders: number; pending: Amount; payable: Amount; paidOut: Amount; cancelled: Amount }
interface Commission { id: string; distributorFollowerId: string | null; orderAmountMinor: number; commissionMinor: number; commissionBps: number; currency: string; status: string; payableAfter: string; createdAt: string }
interface Account { id: string; email: string; displayName: string; role: 'admin' | 'creator' }
interface FollowerMatch { id: string; displayName: string | null; identities: { kind: string }[] }
type Notice = { ok: boolean; text: string } | null;
type R = (typeof REFERRAL_MESSAGES)['en'];

/** 1500 basis points read as "15%". */
const percentOf = (bps: number) => `${bps / 100}%`;
const day = (iso: string, lang: Lang) => new Date(iso).toLocaleDateString(lang);
const numberOrNull = (value: FormDataEntryValue | null) => (value === null || value === '' ? null : Number(value));

/**
 * The API's field problems as this page's hints in words, by the last part of the field's path
 * (`referral programme.rewardPercentOff` → `rewardPercentOff`); the API's own text never shows.
 */
function hintsOf(error: Error, r: R): Record<string, string> {
  return Object.fromEntries(Object.keys(issuesByPath(error)).map((path) => {
    const field = path.split('.').pop() ?? path;
    return [field, r.hints[field] ?? r.fixFields];
  }));
}
/** A refusal in words: the code's own text, a pointer to the field notes, or the server's message. */
const refusalText = (error: Error, r: R) =>
  error instanceof ApiError ? r.errors[error.code] ?? (error.issues.length ? r.fixFields : error.message) : error.message;

/**
 * Referrals / 推荐与分销: the reward coupon referrers earn, the distributors approved with their
 * commission rate, and the payout report per distributor and currency with the commission ledger.
 * Creators manage their own; an admin first chooses the creator (every change names them).
 */
export function ReferralsPage({ me }: { me: Me }) {
  const { t, lang } = useI18n();
  const r = REFERRAL_MESSAGES[lang];
  const isAdmin = me.principal.role === 'admin';
  const [creators, setCreators] = useState<Account[]>([]);
  const [creatorId, setCreatorId] = useState('');
  const [notice, setNotice] = useState<Notice>(null);
  useEffect(() => {
    if (isAdmin) api<{ items: Account[] }>('GET', '/accounts?pageSize=100').then((d) => setCreators(d.items.filter((a) => a.role === 'creator')), (e: Error) => setNotice({ ok: false, text: e.message }));
  }, [isAdmin]);
  const scope = isAdmin ? `?creatorId=${creatorId}` : '';

  return (
    <>
      <p className="muted">{r.help}</p>
      {isAdmin && (
        <div className="card row">
          <label>{r.creator}
            <select aria-label="creator" value={creatorId} onChange={(e) => { setCreatorId(e.target.value); setNotice(null); }}>
              <option value="">{r.chooseCreator}</option>
              {creators.map((a) => <option key={a.id} value={a.id}>{a.displayName ? `${a.displayName} (${a.email})` : a.email}</option>)}
            </select>
          </label>
        </div>
      )}
      {notice && <p className={notice.ok ? 'ok' : 'error'} role={notice.ok ? 'status' : 'alert'}>{notice.text}</p>}
      {isAdmin && !creatorId ? <p>{r.pickCreatorFirst}</p> : <ReferralSections key={creatorId} isAdmin={isAdmin} scope={scope} r={r} lang={lang} loading={t.loading} onNotice={setNotice} />}
    </>
  );
}

function ReferralSections({ isAdmin, scope, r, lang, loading, onNotice }: { isAdmin: boolean; scope: string; r: R; lang: Lang; loading: string; onNotice: (n: Notice) => void }) {
  const [program, setProgram] = useState<Program | null | undefined>(undefined);
  const [distributors, setDistributors] = useState<Distributor[] | null>(null);
  const [payouts, setPayouts] = useState<PayoutLine[] | null>(null);
  const [ledger, setLedger] = useState<Commission[] | null>(null);
  const fail = (e: Error) => onNotice({ ok: false, text: refusalText(e, r) });
  const loadProgram = () => api<{ program: Program | null }>('GET', `/referrals/program${scope}`).then((d) => setProgram(d.program), fail);
  const loadDistributors = () => api<{ items: Distributor[] }>('GET', `/referrals/distributors${scope}`).then((d) => { setDistributors(d.items); return d.items; });
  // The payout report first: it releases commission whose refund window has passed, so the ledger after it agrees.
  const loadMoney = () => api<{ items: PayoutLine[] }>('GET', `/referrals/payouts${scope}`).then((d) => setPayouts(d.items))
    .then(() => api<{ items: Commission[] }>('GET', `/referrals/commissions${scope}`)).then((d) => setLedger(d.items), fail);
  useEffect(() => {
    void loadProgram();
    loadDistributors().catch(fail);
    void loadMoney();
  }, [scope]); // eslint-disable-line react-hooks/exhaustive-deps
  const nameOf = (followerId: string | null) =>
    followerId === null ? r.erased : distributors?.find((d) => d.followerId === followerId)?.displayName ?? payouts?.find((p) => p.distributorFollowerId === followerId)?.displayName ?? followerId.slice(0, 8);

  return (
    <>
      {program === undefined ? <p>{loading}</p> : <ProgramCard program={program} scope={scope} r={r} onSaved={(p) => { setProgram(p); onNotice({ ok: true, text: r.programSaved }); }} onError={fail} />}
      <DistributorsCard isAdmin={isAdmin} distributors={distributors} scope={scope} r={r} lang={lang} loading={loading} reload={loadDistributors} onNotice={onNotice} onError={fail} />
      <PayoutsCard payouts={payouts} ledger={ledger} scope={scope} r={r} lang={lang} loading={loading} nameOf={nameOf} onPaid={(text) => { onNotice({ ok: true, text }); return loadMoney(); }} onError={fail} />
    </>
  );
}

function ProgramCard({ program, scope, r, onSaved, onError }: { program: Program | null; scope: string; r: R; onSaved: (p: Program) => void; onError: (e: Error) => void }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<'percent' | 'amount'>(program?.rewardAmountOffMinor ? 'amount' : 'percent');
  // New amounts are in yuan; a programme already set in US dollars (through the API) keeps its currency.
  const currency = program?.rewardCurrency ?? 'CNY';
  const [hints, setHints] = useState<Record<string, string>>({});
  const reward = (p: Program) => p.rewardPercentOff !== null
    ? fill(r.rewardPercentText, { n: String(p.rewardPercentOff) })
    : fill(r.rewardAmountText, { amount: [p.rewardAmountOffMinor !== null ? money(p.rewardAmountOffMinor, p.rewardCurrency ?? 'CNY') : null, p.rewardAmountOffStars !== null ? money(p.rewardAmountOffStars, 'XTR') : null].filter(Boolean).join(' / ') });
  const save = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const amountOff = kind === 'amount' ? numberOrNull(f.get('rewardAmountOff')) : null;
    const starsOff = kind === 'amount' ? numberOrNull(f.get('rewardAmountOffStars')) : null;
    const percentOff = kind === 'percent' ? numberOrNull(f.get('rewardPercentOff')) : null;
    // Said here in words before the API refuses it with its field names.
    const missing: [string, string] | null = kind === 'percent' ? (percentOff === null ? ['rewardPercentOff', 'reward'] : null)
      : amountOff === null ? (starsOff === null ? ['rewardAmountOff', 'reward'] : ['rewardAmountOffStars', 'rewardAmountOffStars']) : null;
    if (missing) { setHints({ [missing[0]]: r.hints[missing[1]]! }); return; }
    api<{ program: Program }>('PUT', `/referrals/program${scope}`, {
      rewardPercentOff: percentOff, rewardAmountOff: amountOff, rewardCurrency: amountOff === null ? null : currency, rewardAmountOffStars: starsOff,
      rewardValidDays: numberOrNull(f.get('rewardValidDays')), refundWindowDays: numberOrNull(f.get('refundWindowDays')), isActive: f.get('isActive') === 'on',
    }).then((d) => { setHints({}); onSaved(d.program); }, (err: Error) => { setHints(hintsOf(err, r)); onError(err); });
  };

  return (
    <form className="card" onSubmit={save} aria-label="referral programme" noValidate>
      <h3>{r.program}</h3>
      <p data-testid="program-now">{program
        ? fill(r.programNow, { reward: reward(program), days: String(program.rewardValidDays), refund: String(program.refundWindowDays), state: program.isActive ? r.programOn : r.programOff })
        : r.noProgram}</p>
      <div className="row">
        <label className="check"><input type="radio" name="rewardKind" checked={kind === 'percent'} onChange={() => setKind('percent')} /> {r.rewardPercent}</label>
        <label className="check"><input type="radio" name="rewardKind" checked={kind === 'amount'} onChange={() => setKind('amount')} /> {r.rewardAmount}</label>
        {kind === 'percent'
          ? <label>{r.percentOff}<input name="rewardPercentOff" type="number" defaultValue={program?.rewardPercentOff ?? ''} /><FieldError issues={hints} path="rewardPercentOff" /></label>
          : <>
              <label>{currency === 'USD' ? fill(r.amountOffIn, { currency: t.currencyUSD }) : r.amountOffYuan}<input name="rewardAmountOff" type="number" step="0.01" defaultValue={program?.rewardAmountOffMinor ? program.rewardAmountOffMinor / 100 : ''} /><FieldError issues={hints} path="rewardAmountOff" /></label>
              <label>{r.starsOff}<input name="rewardAmountOffStars" type="number" step="1" defaultValue={program?.rewardAmountOffStars ?? ''} /><FieldError issues={hints} path="rewardAmountOffStars" /></label>
            </>}
      </div>
      <div className="row">
        <label>{r.validDays}<input name="rewardValidDays" type="number" defaultValue={program?.rewardValidDays ?? 30} /><FieldError issues={hints} path="rewardValidDays" /></label>
        <label>{r.refundDays}<input name="refundWindowDays" type="number" defaultValue={program?.refundWindowDays ?? 7} /><FieldError issues={hints} path="refundWindowDays" /></label>
        <label className="check"><input name="isActive" type="checkbox" defaultChecked={program?.isActive ?? true} /> {r.isActive}</label>
        <button type="submit">{r.saveProgram}</button>
      </div>
    </form>
  );
}

function DistributorsCard({ isAdmin, distributors, scope, r, lang, loading, reload, onNotice, onError }: {
  isAdmin: boolean; distributors: Distributor[] | null; scope: string; r: R; lang: Lang; loading: string; reload: () => Promise<Distributor[]>; onNotice: (n: Notice) => void; onError: (e: Error) => void;
}) {
  const [hints, setHints] = useState<Record<string, string>>({});
  const [matches, setMatches] = useState<FollowerMatch[] | null>(null);
  const [nameQuery, setNameQuery] = useState('');
  // Admins find the follower by name on the Followers API; creators cannot list followers, so they enter the ID.
  const find = () => { if (nameQuery.trim()) api<{ items: FollowerMatch[] }>('GET', `/followers?pageSize=10&q=${encodeURIComponent(nameQuery.trim())}`).then((d) => setMatches(d.items), onError); };
  const decide = (body: ({ followerId: string } | { referralCode: string }) & { commissionBps: number; status: 'approved' | 'revoked' }, form?: HTMLFormElement) =>
    api<Distributor>('POST', `/referrals/distributors${scope}`, body).then(async (d) => {
      form?.reset();
      setHints({});
      // The answer carries no name: the reloaded list does.
      const name = (await reload()).find((x) => x.followerId === d.followerId)?.displayName ?? d.followerId.slice(0, 8);
      onNotice({ ok: true, text: fill(body.status === 'approved' ? r.approvedNotice : r.revokedNotice, { name, rate: percentOf(d.commissionBps) }) });
    }, (err: Error) => { setHints(hintsOf(err, r)); onError(err); });
  const approve = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const given = String(f.get('followerId') ?? '').trim();
    if (!given) { setHints({ followerId: r.hints['followerId']! }); return; }
    // A creator may give the follower's referral code (from the link they share) or their ID.
    const who = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(given) ? { followerId: given } : { referralCode: given };
    // The API takes basis points: 15 % is 1500.
    void decide({ ...who, commissionBps: Math.round(Number(f.get('commissionPercent') || 0) * 100), status: 'approved' }, form);
  };

  return (
    <div className="card">
      <h3>{r.distributors}</h3>
      <form className="row" onSubmit={approve} aria-label="approve distributor" noValidate>
        {isAdmin ? <>
          <label>{r.findFollower}<input aria-label="find follower" value={nameQuery} onChange={(e) => setNameQuery(e.target.value)} onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); find(); } }} /></label>
          <button type="button" className="secondary" onClick={find}>{r.search}</button>
          <label>{r.follower}
            <select name="followerId" aria-label="follower">
              <option value="">{matches === null ? r.searchFirst : matches.length === 0 ? r.noMatches : r.chooseFollower}</option>
              {matches?.map((m) => <option key={m.id} value={m.id}>{m.displayName ?? m.id.slice(0, 8)}</option>)}
            </select>
            <FieldError issues={hints} path="followerId" />
          </label>
        </> : <label>{r.followerId}<input name="followerId" size={38} /><FieldError issues={hints} path="followerId" /></label>}
        <label>{r.commissionPercent}<input name="commissionPercent" type="number" step="0.01" /><FieldError issues={hints} path="commissionBps" /></label>
        <button type="submit">{r.approve}</button>
      </form>
      {!distributors ? <p>{loading}</p> : distributors.length === 0 ? <p>{r.noDistributors}</p> : (
        <table data-testid="distributors">
          <thead><tr><th>{r.name}</th><th>{r.rate}</th><th>{r.referred}</th><th>{r.since}</th><th /></tr></thead>
          <tbody>{distributors.map((d) => (
            <tr key={d.followerId} data-distributor={d.followerId}>
              <td>{d.displayName ?? d.followerId.slice(0, 8)}</td>
              <td>{percentOf(d.commissionBps)}</td>
              <td>{d.referred}</td>
              <td>{d.status === 'approved' ? r.statusApproved : r.statusRevoked} · {day(d.decidedAt, lang)}</td>
              <td>{d.status === 'approved'
                ? <button className="danger" onClick={() => decide({ followerId: d.followerId, commissionBps: d.commissionBps, status: 'revoked' })}>{r.revoke}</button>
                : <button className="secondary" onClick={() => decide({ followerId: d.followerId, commissionBps: d.commissionBps, status: 'approved' })}>{r.reapprove}</button>}</td>
            </tr>
          ))}</tbody>
        </table>
      )}
    </div>
  );
}

function PayoutsCard({ payouts, ledger, scope, r, lang, loading, nameOf, onPaid, onError }: {
  payouts: PayoutLine[] | null; ledger: Commission[] | null; scope: string; r: R; lang: Lang; loading: string; nameOf: (followerId: string | null) => string;
  onPaid: (text: string) => Promise<unknown>; onError: (e: Error) => void;
}) {
  const { t } = useI18n();
  const [payingFor, setPayingFor] = useState<string | null>(null);
  const [hints, setHints] = useState<Record<string, string>>({});
  const keyOf = (p: PayoutLine) => `${p.distributorFollowerId}:${p.currency}`;
  const markPaidOut = (p: PayoutLine, e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const reference = String(new FormData(e.currentTarget).get('reference') ?? '').trim();
    if (!reference) { setHints({ reference: r.hints['reference']! }); return; }
    api<{ paidOut: Amount }>('POST', `/referrals/payouts${scope}`, { distributorFollowerId: p.distributorFollowerId, currency: p.currency, reference }).then((d) => {
      setPayingFor(null);
      setHints({});
      return onPaid(fill(r.paidOutNotice, { amount: money(d.paidOut.amountMinor, d.paidOut.currency), name: nameOf(p.distributorFollowerId) }));
    }, (err: Error) => { setHints(hintsOf(err, r)); onError(err); });
  };

  return (
    <>
      <div className="card">
        <h3>{r.payouts}</h3>
        {!payouts ? <p>{loading}</p> : payouts.length === 0 ? <p>{r.noPayouts}</p> : (
          <table data-testid="payouts">
            <thead><tr><th>{r.distributor}</th><th>{r.currency}</th><th>{r.orders}</th><th>{r.pending}</th><th>{r.payable}</th><th>{r.paidOut}</th><th>{r.cancelled}</th><th /></tr></thead>
            <tbody>{payouts.map((p) => (
              <tr key={keyOf(p)} data-payout={keyOf(p)}>
                <td>{p.displayName ?? nameOf(p.distributorFollowerId)}</td>
                <td>{currencyLabel(p.currency, t)}</td>
                <td>{p.orders}</td>
                <td data-cell="pending">{money(p.pending.amountMinor, p.currency)}</td>
                <td data-cell="payable">{money(p.payable.amountMinor, p.currency)}</td>
                <td data-cell="paidOut">{money(p.paidOut.amountMinor, p.currency)}</td>
                <td data-cell="cancelled">{money(p.cancelled.amountMinor, p.currency)}</td>
                <td>{p.payable.amountMinor > 0 && p.distributorFollowerId !== null && (payingFor === keyOf(p) ? (
                  <form className="row" onSubmit={(e) => markPaidOut(p, e)} aria-label="mark paid out" noValidate>
                    <label>{r.reference}<input name="reference" maxLength={200} /><FieldError issues={hints} path="reference" /></label>
                    <button type="submit">{r.confirmPaidOut}</button>
                  </form>
                ) : <button className="secondary" onClick={() => { setHints({}); setPayingFor(keyOf(p)); }}>{r.markPaidOut}</button>)}</td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </div>
      <div className="card">
        <h3>{r.ledger}</h3>
        {!ledger ? <p>{loading}</p> : ledger.length === 0 ? <p>{r.noPayouts}</p> : (
          <table data-testid="commissions">
            <thead><tr><th>{r.orderDate}</th><th>{r.distributor}</th><th>{r.orderAmount}</th><th>{r.commission}</th><th>{t.status}</th><th>{r.payableAfter}</th></tr></thead>
            <tbody>{ledger.map((c) => (
              <tr key={c.id} data-commission={c.id}>
                <td>{day(c.createdAt, lang)}</td>
                <td>{nameOf(c.distributorFollowerId)}</td>
                <td>{money(c.orderAmountMinor, c.currency)}</td>
                <td>{fill(r.commissionText, { amount: money(c.commissionMinor, c.currency), rate: percentOf(c.commissionBps) })}</td>
                <td data-cell="status">{r.status[c.status] ?? c.status}</td>
                <td>{day(c.payableAfter, lang)}</td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </div>
    </>
  );
}
