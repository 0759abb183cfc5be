import { useEffect, useState, type FormEvent } from 'react';
import { api, issuesByPath, money } from '../api.ts';
import type { Me } from '../app.tsx';
import { fill, useI18n, type Messages } from '../i18n.ts';
import { titleIn } from '../labels.ts';
import { FieldError } from './field-error.tsx';

interface Course { id: string; titleZh: string; titleEn: string; creatorId: string | null }
interface Coupon {
  id: string; courseId: string | null; code: string; name: string; codeKind: 'single' | 'per_follower' | 'automatic'; percentOff: number | null; amountOffMinor: number | null;
  currency: string | null; amountOffStars: number | null; validFrom: string | null; validUntil: string | null; maxRedemptions: number | null; isActive: boolean;
  usage: { reserved: number; redeemed: number; released: number; revenue: { currency: string; amountMinor: number; discountMinor: number; orders: number }[] };
}

const KINDS: Record<Coupon['codeKind'], keyof Messages> = { single: 'kindSingle', per_follower: 'kindPerFollower', automatic: 'kindAutomatic' };
const isoOrNull = (value: FormDataEntryValue | null) => (value ? new Date(String(value)).toISOString() : null);
const numberOrNull = (value: FormDataEntryValue | null) => (value ? Number(value) : null);

/** Coupons: create one for a course or all of them, see each one's usage and revenue per currency, switch it on or off, export revenue by coupon. */
export function CouponsPage({ me }: { me: Me }) {
  const { t, lang } = useI18n();
  const [coupons, setCoupons] = useState<Coupon[] | null>(null);
  const [courses, setCourses] = useState<Course[]>([]);
  const [discountKind, setDiscountKind] = useState<'percent' | 'amount'>('percent');
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [issues, setIssues] = useState<Record<string, string>>({});
  const fail = (e: Error) => { setNotice({ ok: false, text: e.message }); setIssues(issuesByPath(e)); };
  const load = () => api<{ items: Coupon[] }>('GET', '/coupons').then((d) => setCoupons(d.items), fail);
  useEffect(() => {
    void load();
    api<{ items: Course[] }>('GET', '/courses?pageSize=100').then((d) => setCourses(d.items), fail);
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  const courseTitle = (id: string | null) => {
    const course = id ? courses.find((c) => c.id === id) : undefined;
    return id === null ? (me.principal.role === 'admin' ? t.allCourses : t.allMyCourses) : course ? titleIn(lang, course) : id.slice(0, 8);
  };

  const create = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const code = String(f.get('code') ?? '');
    const amount = f.get('amountOff') ? Math.round(Number(f.get('amountOff')) * 100) : null;
    api('POST', '/coupons', {
      code, name: f.get('name') ?? '', courseId: f.get('courseId') || null, codeKind: f.get('codeKind'),
      percentOff: discountKind === 'percent' ? numberOrNull(f.get('percentOff')) : null,
      amountOffMinor: discountKind === 'amount' ? amount : null, currency: discountKind === 'amount' && amount !== null ? 'CNY' : null,
      amountOffStars: discountKind === 'amount' ? numberOrNull(f.get('amountOffStars')) : null,
      maxRedemptions: numberOrNull(f.get('maxRedemptions')), validFrom: isoOrNull(f.get('validFrom')), validUntil: isoOrNull(f.get('validUntil')),
    }).then(() => {
      form.reset();
      setIssues({});
      setNotice({ ok: true, text: fill(t.couponCreated, { code: code.toUpperCase() }) });
      return load();
    }, fail);
  };
  const toggle = (c: Coupon) => api('PATCH', `/coupons/${c.id}`, { isActive: !c.isActive }).then(load, fail);
  const discountText = (c: Coupon) => c.percentOff !== null
    ? fill(t.percentOffText, { n: String(c.percentOff) })
    : fill(t.amountOffText, { amount: [c.amountOffMinor !== null ? money(c.amountOffMinor, c.currency ?? 'CNY') : null, c.amountOffStars !== null ? money(c.amountOffStars, 'XTR') : null].filter(Boolean).join(' / ') });
  const validity = (c: Coupon) => {
    const day = (iso: string) => new Date(iso).toLocaleDateString(lang);
    const parts = [c.validFrom ? fill(t.validFromText, { date: day(c.validFrom) }) : null, c.validUntil ? fill(t.validUntilText, { date: day(c.validUntil) }) : null].filter(Boolean);
    return parts.length ? parts.join(' ') : t.always;
  };

  return (
    <>
      <div className="row">
        <span className="muted" style={{ flex: 1 }}>{t.couponsHelp}</span>
        <a className="button secondary" href="/api/exports/revenue.csv?by=coupon" download>{t.exportCoupons}</a>
      </div>
      <form className="card" onSubmit={create} aria-label="new coupon">
        <div className="row">
          <label>{t.code}<input name="code" required /><FieldError issues={issues} path="code" /></label>
          <label>{t.couponName}<input name="name" /></label>
          <label>{t.couponCourse}
            <select name="courseId" aria-label="coupon course">
              <option value="">{me.principal.role === 'admin' ? t.allCourses : t.allMyCourses}</option>
              {courses.map((c) => <option key={c.id} value={c.id}>{titleIn(lang, c)}</option>)}
            </select>
          </label>
          <label>{t.couponKind}
            <select name="codeKind" aria-label="coupon kind">{Object.entries(KINDS).map(([k, label]) => <option key={k} value={k}>{t[label] as string}</option>)}</select>
          </label>
        </div>
        <div className="row">
          <label className="check"><input type="radio" name="discountKind" checked={discountKind === 'percent'} onChange={() => setDiscountKind('percent')} /> {t.discountPercent}</label>
          <label className="check"><input type="radio" name="discountKind" checked={discountKind === 'amount'} onChange={() => setDiscountKind('amount')} /> {t.discountAmount}</label>
          {discountKind === 'percent'
            ? <label>{t.discountPercent}<input name="percentOff" type="number" min="1" max="100" required /><FieldError issues={issues} path="percentOff" /></label>
            : <>
                <label>{t.discountAmount}<input name="amountOff" type="number" min="0.01" step="0.01" /></label>
                <label>{t.discountStars}<input name="amountOffStars" type="number" min="1" step="1" /></label>
              </>}
          <label>{t.maxRedemptions}<input name="maxRedemptions" type="number" min="1" /></label>
          <label>{t.validFrom}<input name="validFrom" type="datetime-local" /></label>
          <label>{t.validUntil}<input name="validUntil" type="datetime-local" /><FieldError issues={issues} path="validUntil" /></label>
          <button type="submit">{t.create}</button>
        </div>
      </form>
      {notice && <p className={notice.ok ? 'ok' : 'error'} role={notice.ok ? 'status' : 'alert'}>{notice.text}</p>}
      <div className="card">
        {!coupons ? <p>{t.loading}</p> : coupons.length === 0 ? <p>{t.none}</p> : (
          <table data-testid="coupons">
            <thead><tr><th>{t.code}</th><th>{t.couponCourse}</th><th>{t.discount}</th><th>{t.couponKind}</th><th>{t.usage}</th><th>{t.revenue}</th><th>{t.status}</th></tr></thead>
            <tbody>{coupons.map((c) => (
              <tr key={c.id} data-coupon={c.code}>
                <td><strong>{c.code}</strong>{c.name && <div className="muted">{c.name}</div>}</td>
                <td>{courseTitle(c.courseId)}</td>
                <td>{discountText(c)}<div className="muted">{validity(c)}</div></td>
                <td>{t[KINDS[c.codeKind]] as string}</td>
                <td data-cell="usage">{fill(t.usageText, { redeemed: String(c.usage.redeemed), reserved: String(c.usage.reserved), released: String(c.usage.released) })}</td>
                <td data-cell="revenue">{c.usage.revenue.length === 0 ? t.noUsage : c.usage.revenue.map((r) => (
                  <div key={r.currency}>{fill(t.couponRevenue, { amount: money(r.amountMinor, r.currency), orders: String(r.orders), discount: money(r.discountMinor, r.currency) })}</div>
                ))}</td>
                <td>{c.isActive ? t.couponOn : t.couponOff} <button className="secondary" onClick={() => toggle(c)}>{c.isActive ? t.switchOff : t.switchOn}</button></td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </div>
    </>
  );
}
