import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';

interface Entry { id: number; actor: string; action: string; subjectType: string; subjectId: string | null; details: Record<string, unknown>; at: string }
interface Page { items: Entry[]; page: number; pageSize: number; total: number }

const SUBJECT_TYPES = ['', 'settings', 'course', 'coupon', 'follower', 'account', 'token'];

/** The audit log (admins only), newest first, filtered by subject, 20 a page. */
export function AuditLogSection({ version }: { version: number }) {
  const { t, lang } = useI18n();
  const [subjectType, setSubjectType] = useState('');
  const [subjectId, setSubjectId] = useState('');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page | null>(null);
  const [error, setError] = useState('');
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
            {SUBJECT_TYPES.map((s) => <option key={s} value={s}>{s || '*'}</option>)}
          </select>
        </label>
        <label>id<input aria-label="audit subject id" value={subjectId} onChange={(e) => { setSubjectId(e.target.value); setPage(1); }} /></label>
        <button className="secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>{t.prev}</button>
        <span>{page} / {pages}</span>
        <button className="secondary" disabled={page >= pages} onClick={() => setPage(page + 1)}>{t.next}</button>
      </div>
      {error && <p className="error">{error}</p>}
      {data && (data.items.length === 0 ? <p>{t.none}</p> : (
        <table>
          <thead><tr><th>{t.at}</th><th>{t.actor}</th><th>{t.action}</th><th>{t.subject}</th><th /></tr></thead>
          <tbody>{data.items.map((e) => (
            <tr key={e.id} data-action={e.action}>
              <td>{new Date(e.at).toLocaleString(lang)}</td><td>{e.actor}</td><td><span className="pill">{e.action}</span></td>
              <td>{e.subjectType}{e.subjectId ? ` · ${e.subjectId}` : ''}</td>
              <td><code>{JSON.stringify(e.details).slice(0, 120)}</code></td>
            </tr>
          ))}</tbody>
        </table>
      ))}
    </div>
  );
}
