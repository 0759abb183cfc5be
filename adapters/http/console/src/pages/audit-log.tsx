import { useEffect, useState } from 'react';
import { api, money } from '../api.ts';
import { AUDIT_MESSAGES } from '../audit-texts.ts';
import { fill, useI18n } from '../i18n.ts';

interface Entry { id: number; actor: string; action: string; subjectType: string; subjectId: string | null; details: Record<string, unknown>; at: string }
interface Page { items: Entry[]; page: number; pageSize: number; total: number }
type AuditTexts = (typeof AUDIT_MESSAGES)['en'];

const SUBJECT_TYPES = ['', 'settings', 'course', 'coupon', 'follower', 'account', 'api_token', 'order', 'handoff'];
const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** One entry as a sentence: the action's template filled from its details, field names in words. */
function describe(e: Entry, a: AuditTexts): string {
  const d = e.details ?? {};
  const to = (d['to'] ?? {}) as Record<string, unknown>;
  const quiet = (to['quietHours'] ?? {}) as Record<string, unknown>;
  const changed = Array.isArray(d['changed']) ? (d['changed'] as unknown[]).map((k) => a.field[String(k)] ?? String(k)) : [];
  if (d['passwordChanged'] === true) changed.push(a.field['password']!);
  const values: Record<string, string> = {
    email: text(d['email']), role: a.role[text(d['role'])] ?? text(d['role']), slug: text(d['slug']), code: text(d['code']), name: text(d['name']), reason: text(d['reason']),
    price: typeof d['priceMinor'] === 'number' ? money(d['priceMinor'], text(d['currency']) || 'CNY') : '', changed: changed.join(', '),
    events: text(d['events']), orders: text(d['orders']), dailyCap: text(to['dailyCap']), weeklyCap: text(to['weeklyCap']), quietStart: text(quiet['start']), quietEnd: text(quiet['end']),
  };
  const template = a.action[e.action];
  return template ? fill(template, values) : fill(a.other, { action: e.action });
}

/** Who did it: an account's email (and whether through one of its API tokens), the admin token, a follower, or the system. */
function actorLabel(actor: string, emails: Map<string, string>, a: AuditTexts): string {
  const account = /^account:([0-9a-f-]{36})(\/token:.*)?$/.exec(actor);
  if (account) return `${emails.get(account[1]!) ?? account[1]!.slice(0, 8)}${account[2] ? ` · ${a.token}` : ''}`;
  if (actor === 'admin-api-token') return a.adminToken;
  if (actor.startsWith('follower:')) return a.follower;
  return a.system;
}

/** The audit log (admins only), newest first, filtered by subject, 20 a page, as readable rows. */
export function AuditLogSection({ version }: { version: number }) {
  const { t, lang } = useI18n();
  const a = AUDIT_MESSAGES[lang];
  const [subjectType, setSubjectType] = useState('');
  const [subjectId, setSubjectId] = useState('');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page | null>(null);
  const [emails, setEmails] = useState(new Map<string, string>());
  const [error, setError] = useState('');
  useEffect(() => {
    api<{ items: { id: string; email: string }[] }>('GET', '/accounts?pageSize=100').then((d) => setEmails(new Map(d.items.map((x) => [x.id, x.email]))), () => undefined);
  }, [version]);
  useEffect(() => {
    const query = new URLSearchParams({ page: String(page), pageSize: '20', ...(subjectType ? { subjectType } : {}), ...(subjectId.trim() ? { subjectId: subjectId.trim() } : {}) });
    api<Page>('GET', `/audit-log?${query}`).then((d) => { setError(''); setData(d); }, (e: Error) => setError(e.message));
  }, [page, subjectType, subjectId, version]);
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  return (
    <div className="card" data-testid="audit-log">
      <h3>{t.auditLog}</h3>
      <div className="row">
        <label>{t.subject}
          <select aria-label="audit subject type" value={subjectType} onChange={(e) => { setSubjectType(e.target.value); setPage(1); }}>
            {SUBJECT_TYPES.map((s) => <option key={s} value={s}>{s ? a.subject[s] : a.allSubjects}</option>)}
          </select>
        </label>
        <label>{a.subjectId}<input aria-label="audit subject id" value={subjectId} onChange={(e) => { setSubjectId(e.target.value); setPage(1); }} /></label>
        <button className="secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>{t.prev}</button>
        <span>{page} / {pages}</span>
        <button className="secondary" disabled={page >= pages} onClick={() => setPage(page + 1)}>{t.next}</button>
      </div>
      {error && <p className="error">{error}</p>}
      {data && (data.items.length === 0 ? <p>{t.none}</p> : (
        <table>
          <thead><tr><th>{t.at}</th><th>{t.actor}</th><th>{t.action}</th><th>{t.subject}</th></tr></thead>
          <tbody>{data.items.map((e) => (
            <tr key={e.id} data-action={e.action}>
              <td style={{ whiteSpace: 'nowrap' }}>{new Date(e.at).toLocaleString(lang)}</td>
              <td title={e.actor}>{actorLabel(e.actor, emails, a)}</td>
              <td data-testid="audit-sentence">{describe(e, a)}</td>
              <td title={e.subjectId ?? undefined}>{a.subject[e.subjectType] ?? e.subjectType}{e.subjectId && e.subjectType !== 'settings' ? ` ${e.subjectId.slice(0, 8)}` : ''}</td>
            </tr>
          ))}</tbody>
        </table>
      ))}
    </div>
  );
}
