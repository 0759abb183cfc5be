import { useEffect, useState, type FormEvent } from 'react';
import { api, money } from '../api.ts';
import type { Me } from '../app.tsx';
import { useI18n } from '../i18n.ts';
import { CourseEditor, type EditableCourse } from './course-editor.tsx';
import { CourseLearning } from './course-learning.tsx';

interface Course extends EditableCourse { priceMinor: number; currency: string; status: string; creatorId: string | null }
interface Coupon { id: string; code: string; percentOff: number | null; amountOffMinor: number | null; isActive: boolean; redeemedCount: number }

export function CoursesPage({ me }: { me: Me }) {
  const { t, lang } = useI18n();
  const [courses, setCourses] = useState<Course[]>([]);
  const [selected, setSelected] = useState<Course | null>(null);
  const [coupons, setCoupons] = useState<Coupon[]>([]);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const load = () => api<{ items: Course[] }>('GET', '/courses?pageSize=100').then((p) => {
    setCourses(p.items);
    setSelected((current) => (current && p.items.find((c) => c.id === current.id)) ?? current);
  });
  useEffect(() => { void load(); }, []);
  const report = (p: Promise<unknown>) => p.then(() => setMessage({ ok: true, text: t.saved }), (e: Error) => setMessage({ ok: false, text: e.message }));

  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const form = e.currentTarget;
    await report(
      api('POST', '/courses', {
        slug: f.get('slug'), titleZh: f.get('titleZh'), titleEn: f.get('titleEn'),
        status: f.get('status'),
        prices: {
          wechat: { amount: String(f.get('price')), currency: f.get('currency') },
          telegram: f.get('stars') ? { amount: String(f.get('stars')), currency: 'XTR' } : null,
        },
      }).then(() => { form.reset(); return load(); }),
    );
  };
  const select = async (c: Course) => {
    setSelected(c);
    setCoupons((await api<{ items: Coupon[] }>('GET', `/courses/${c.id}/coupons`)).items);
  };
  const savePrice = (c: Course, price: string) => report(api('PATCH', `/courses/${c.id}`, { prices: { wechat: { amount: price, currency: c.currency } } }).then(load));
  const archive = (c: Course) => report(api('POST', `/courses/${c.id}/archive`).then(load));
  const addCoupon = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!selected) return;
    const f = new FormData(e.currentTarget);
    await report(api('POST', `/courses/${selected.id}/coupons`, { code: f.get('code'), percentOff: Number(f.get('percentOff')) }).then(() => select(selected)));
  };

  return (
    <>
      <form className="card row" onSubmit={create} aria-label="create course">
        <label>{t.slug}<input name="slug" required pattern="[a-z0-9][a-z0-9-]{1,62}" /></label>
        <label>{t.titleZh}<input name="titleZh" required /></label>
        <label>{t.titleEn}<input name="titleEn" required /></label>
        <label>{t.priceWechat}<input name="price" type="number" step="0.01" min="0" required /></label>
        <label>{t.currencyField}<select name="currency"><option value="CNY">{t.currencyCNY}</option><option value="USD">{t.currencyUSD}</option></select></label>
        <label>{t.priceStars}<input name="stars" type="number" step="1" min="1" title={t.starsHelp} /></label>
        <label>{t.status}<select name="status"><option value="draft">{t.draft}</option><option value="on_sale">{t.onSale}</option></select></label>
        <button type="submit">{t.create}</button>
      </form>
      {message && <p className={message.ok ? 'ok' : 'error'} role="status">{message.text}</p>}
      <div className="card">
        <table>
          <thead><tr><th>{t.slug}</th><th>{t.name}</th><th>{t.price}</th><th>{t.status}</th><th /></tr></thead>
          <tbody>
            {courses.map((c) => (
              <tr key={c.id} data-slug={c.slug}>
                <td><button className="link" onClick={() => select(c)}>{c.slug}</button></td>
                <td>{lang === 'en' ? c.titleEn : c.titleZh}</td>
                <td>
                  {money(c.priceMinor, c.currency)}{c.prices.telegram ? ` · ${money(c.prices.telegram.amountMinor, 'XTR')}` : ''}{' '}
                  {(me.principal.role === 'admin' || c.creatorId === me.principal.id) && (
                    <input aria-label={`price ${c.slug}`} type="number" step="0.01" defaultValue={c.prices.wechat.amount} style={{ width: 90 }} onBlur={(e) => e.target.value !== c.prices.wechat.amount && savePrice(c, e.target.value)} />
                  )}
                </td>
                <td>{c.status === 'on_sale' ? t.onSale : c.status === 'draft' ? t.draft : t.archived}</td>
                <td>{c.status !== 'archived' && <button className="secondary" onClick={() => archive(c)}>{t.archive}</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {selected && <CourseEditor course={selected} onSaved={() => load().then(() => undefined)} />}
      {selected && <CourseLearning courseId={selected.id} />}
      {selected && (
        <div className="card">
          <h3>{t.coupons}: {selected.slug}</h3>
          <form className="row" onSubmit={addCoupon}>
            <label>{t.code}<input name="code" required /></label>
            <label>{t.percentOff}<input name="percentOff" type="number" min="1" max="100" required /></label>
            <button type="submit">{t.create}</button>
          </form>
          <table><tbody>{coupons.map((c) => <tr key={c.id}><td>{c.code}</td><td>{c.percentOff ? `${c.percentOff}%` : c.amountOffMinor}</td><td>{c.isActive ? '✓' : '✗'}</td><td>{c.redeemedCount}</td></tr>)}</tbody></table>
        </div>
      )}
    </>
  );
}
