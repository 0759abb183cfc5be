import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, setCsrfToken } from './api.ts';
import { I18nContext, MESSAGES, useI18n, type Lang, type Messages } from './i18n.ts';
import { DashboardPage } from './pages/dashboard.tsx';
import { FollowersPage } from './pages/followers.tsx';
import { CoursesPage } from './pages/courses.tsx';
import { BroadcastsPage } from './pages/broadcasts.tsx';
import { SchedulesPage } from './pages/schedules.tsx';
import { ExperimentsPage, RetargetingPage } from './pages/campaign-pages.tsx';
import { SettingsPage } from './pages/settings.tsx';
import { RiskPage } from './pages/risk.tsx';
import { InboxPage } from './pages/inbox.tsx';
import { AccountsPage } from './pages/accounts.tsx';
import { CouponsPage } from './pages/coupons.tsx';
import { ReferralsPage } from './pages/referrals.tsx';
import { RecommenderExperimentsPage } from './pages/recommender-experiments.tsx';

export interface Me {
  principal: { id: string | null; role: 'admin' | 'creator' };
  account: { email: string; displayName: string } | null;
}

const PAGES: { key: keyof Messages & string; slug: string; render: (me: Me) => ReactNode; isAdminOnly?: boolean }[] = [
  { key: 'dashboard', slug: 'dashboard', render: () => <DashboardPage /> },
  { key: 'followers', slug: 'followers', render: () => <FollowersPage />, isAdminOnly: true },
  { key: 'courses', slug: 'courses', render: (me) => <CoursesPage me={me} /> },
  { key: 'coupons', slug: 'coupons', render: (me) => <CouponsPage me={me} /> },
  { key: 'referrals', slug: 'referrals', render: (me) => <ReferralsPage me={me} /> },
  { key: 'inbox', slug: 'inbox', render: () => <InboxPage /> },
  { key: 'broadcasts', slug: 'broadcasts', render: () => <BroadcastsPage /> },
  { key: 'retargeting', slug: 'retargeting', render: () => <RetargetingPage />, isAdminOnly: true },
  { key: 'experiments', slug: 'experiments', render: () => <ExperimentsPage /> },
  { key: 'recommenderExperiments', slug: 'recommender-experiments', render: () => <RecommenderExperimentsPage />, isAdminOnly: true },
  { key: 'schedules', slug: 'schedules', render: () => <SchedulesPage />, isAdminOnly: true },
  { key: 'settings', slug: 'settings', render: () => <SettingsPage />, isAdminOnly: true },
  { key: 'riskReview', slug: 'risk', render: () => <RiskPage />, isAdminOnly: true },
  { key: 'accounts', slug: 'accounts', render: (me) => <AccountsPage me={me} />, isAdminOnly: true },
];

const slugFromPath = () => window.location.pathname.replace(/^\/console\/?/, '').split('/')[0] || 'dashboard';

export function App() {
  const [lang, setLang] = useState<Lang>(() => (localStorage.getItem('zl_lang') as Lang | null) ?? (navigator.language.startsWith('zh') ? 'zh-CN' : 'en'));
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [slug, setSlug] = useState(slugFromPath);

  useEffect(() => {
    localStorage.setItem('zl_lang', lang);
    document.documentElement.lang = lang;
  }, [lang]);
  useEffect(() => {
    const onPop = () => setSlug(slugFromPath());
    window.addEventListener('popstate', onPop);
    api<Me>('GET', '/auth/me')
      .then(async (who) => {
        setCsrfToken((await api<{ csrfToken: string | null }>('GET', '/auth/csrf')).csrfToken);
        setMe(who);
      })
      .catch(() => setMe(null));
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const go = (next: string) => {
    window.history.pushState({}, '', `/console/${next}`);
    setSlug(next);
  };
  const logout = async () => {
    await api('POST', '/auth/logout').catch(() => undefined);
    setCsrfToken(null);
    setMe(null);
  };

  const t = MESSAGES[lang];
  const visible = PAGES.filter((p) => !p.isAdminOnly || me?.principal.role === 'admin');
  const page = visible.find((p) => p.slug === slug) ?? visible[0]!;
  return (
    <I18nContext.Provider value={{ lang, t, setLang }}>
      {me === undefined ? (
        <p className="center">{t.loading}</p>
      ) : me === null ? (
        <Login onLoggedIn={setMe} />
      ) : (
        <div className="shell">
          <nav>
            <h1>{t.appName}</h1>
            {visible.map((p) => (
              <a key={p.slug} href={`/console/${p.slug}`} className={p === page ? 'active' : ''} data-page={p.slug} onClick={(e) => { e.preventDefault(); go(p.slug); }}>
                {t[p.key]}
              </a>
            ))}
            <div className="nav-foot">
              <small>{me.account?.email ?? 'API token'} · {me.principal.role === 'admin' ? t.roleAdmin : t.roleCreator}</small>
              <button onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}>{t.language}</button>
              <button onClick={logout}>{t.logout}</button>
            </div>
          </nav>
          <main>
            <h2>{t[page.key]}</h2>
            {page.render(me)}
          </main>
        </div>
      )}
    </I18nContext.Provider>
  );
}

function Login({ onLoggedIn }: { onLoggedIn: (me: Me) => void }) {
  const { t, lang, setLang } = useI18n();
  const [error, setError] = useState('');
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    try {
      const res = await api<{ csrfToken: string }>('POST', '/auth/login', { email: form.get('email'), password: form.get('password') });
      setCsrfToken(res.csrfToken);
      onLoggedIn(await api<Me>('GET', '/auth/me'));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  return (
    <form className="login card" onSubmit={submit}>
      <h1>{t.appName}</h1>
      <label>{t.email}<input name="email" type="email" autoComplete="username" required /></label>
      <label>{t.password}<input name="password" type="password" autoComplete="current-password" required /></label>
      {error && <p className="error" role="alert">{error}</p>}
      <button type="submit">{t.login}</button>
      <button type="button" className="link" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}>{t.language}</button>
    </form>
  );
}
