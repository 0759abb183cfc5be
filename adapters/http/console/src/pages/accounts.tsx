import { useEffect, useState, type FormEvent } from 'react';
import { api, issuesByPath } from '../api.ts';
import type { Me } from '../app.tsx';
import { fill, useI18n } from '../i18n.ts';
import { ago } from '../labels.ts';
import { FieldError } from './field-error.tsx';

interface Account { id: string; email: string; displayName: string; role: 'admin' | 'creator'; isDisabled: boolean; createdAt: string; lastLoginAt: string | null }

/** Admins create creator (and admin) accounts, change roles, disable them and set passwords; every change is audited by the API. */
export function AccountsPage({ me }: { me: Me }) {
  const { t, lang } = useI18n();
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [passwordFor, setPasswordFor] = useState<string | null>(null);
  const fail = (e: Error) => { setNotice({ ok: false, text: e.message }); setIssues(issuesByPath(e)); };
  const load = () => api<{ items: Account[] }>('GET', '/accounts?pageSize=100').then((d) => setAccounts(d.items), fail);
  useEffect(() => { void load(); }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const create = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const email = String(f.get('email'));
    api('POST', '/accounts', { email, password: f.get('password'), displayName: f.get('displayName') || undefined, role: f.get('role') }).then(() => {
      form.reset();
      setIssues({});
      setNotice({ ok: true, text: fill(t.accountCreated, { email }) });
      return load();
    }, fail);
  };
  const patch = (a: Account, body: Record<string, unknown>) => api('PATCH', `/accounts/${a.id}`, body).then(() => { setIssues({}); setNotice({ ok: true, text: `${t.saved}: ${a.email}` }); setPasswordFor(null); return load(); }, fail);

  return (
    <>
      <p className="muted">{t.accountsHelp}</p>
      <form className="card row" onSubmit={create} aria-label="new account">
        <label>{t.email}<input name="email" type="email" required /><FieldError issues={issues} path="email" /></label>
        <label>{t.displayName}<input name="displayName" /></label>
        <label>{t.password}<input name="password" type="password" autoComplete="new-password" required /><FieldError issues={issues} path="password" /></label>
        <label>{t.role}<select name="role" defaultValue="creator"><option value="creator">{t.roleCreator}</option><option value="admin">{t.roleAdmin}</option></select></label>
        <button type="submit">{t.newAccount}</button>
      </form>
      {notice && <p className={notice.ok ? 'ok' : 'error'} role={notice.ok ? 'status' : 'alert'}>{notice.text}</p>}
      <div className="card">
        {!accounts ? <p>{t.loading}</p> : (
          <table data-testid="accounts">
            <thead><tr><th>{t.email}</th><th>{t.displayName}</th><th>{t.role}</th><th>{t.status}</th><th>{t.lastLogin}</th><th /></tr></thead>
            <tbody>{accounts.map((a) => {
              const isMe = a.id === me.principal.id;
              return (
                <tr key={a.id} data-account={a.email}>
                  <td>{a.email} {isMe && <small className="muted">{t.you}</small>}</td>
                  <td>{a.displayName}</td>
                  <td>{a.role === 'admin' ? t.roleAdmin : t.roleCreator}</td>
                  <td>{a.isDisabled ? t.accountDisabled : t.accountActive}</td>
                  <td>{a.lastLoginAt ? ago(a.lastLoginAt, lang) : t.neverLoggedIn}</td>
                  <td>
                    {!isMe && <button className="secondary" onClick={() => patch(a, { role: a.role === 'admin' ? 'creator' : 'admin' })}>{a.role === 'admin' ? t.makeCreator : t.makeAdmin}</button>}{' '}
                    {!isMe && <button className={a.isDisabled ? 'secondary' : 'danger'} onClick={() => patch(a, { isDisabled: !a.isDisabled })}>{a.isDisabled ? t.enable : t.disable}</button>}{' '}
                    {passwordFor === a.id ? (
                      <form className="row" style={{ display: 'inline-flex' }} onSubmit={(e) => { e.preventDefault(); void patch(a, { password: new FormData(e.currentTarget).get('password') }); }}>
                        <input name="password" type="password" aria-label={`${t.newPassword} ${a.email}`} placeholder={t.newPassword} minLength={10} required autoComplete="new-password" />
                        <button type="submit">{t.save}</button>
                      </form>
                    ) : <button className="secondary" onClick={() => setPasswordFor(a.id)}>{t.setPassword}</button>}
                  </td>
                </tr>
              );
            })}</tbody>
          </table>
        )}
      </div>
    </>
  );
}
