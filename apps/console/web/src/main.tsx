import { createEffect } from 'solid-js';
import { render } from 'solid-js/web';
import { Route, Router } from '@solidjs/router';
import { Layout } from './components/layout.tsx';
import { RequireAdmin } from './components/require-admin.tsx';
import { RequireSignIn } from './components/require-sign-in.tsx';
import { AboutPage } from './pages/about/about-page.tsx';
import { adminPages } from './pages/admin/routes.tsx';
import { ChangePasswordPage } from './pages/auth/change-password.tsx';
import { ForgotPasswordPage } from './pages/auth/forgot-password.tsx';
import { LoginPage } from './pages/auth/login.tsx';
import { RegisterPage } from './pages/auth/register.tsx';
import { ResetPasswordPage } from './pages/auth/reset-password.tsx';
import { AdminIndexPage } from './pages/common/admin-index.tsx';
import { NotFoundPage } from './pages/common/not-found.tsx';
import { DashboardPage } from './pages/dashboard/dashboard.tsx';
import { KeysPage } from './pages/keys/keys-page.tsx';
import { LogsPage } from './pages/logs/logs-page.tsx';
import { ProfilePage } from './pages/profile/profile-page.tsx';
import { RedeemPage } from './pages/redeem/redeem-page.tsx';
import { TopUpPage } from './pages/top-up/top-up-page.tsx';
import { site } from './lib/site.ts';
import './styles.css';

render(() => {
  createEffect(() => {
    document.title = site().systemName;
  });
  return (
    <Router>
      <Route path="/login" component={LoginPage} />
      <Route path="/register" component={RegisterPage} />
      <Route path="/forgot-password" component={ForgotPasswordPage} />
      <Route path="/reset-password" component={ResetPasswordPage} />
      <Route path="/" component={RequireSignIn}>
        <Route path="/change-password" component={ChangePasswordPage} />
        <Route component={Layout}>
          <Route path="/" component={DashboardPage} />
          <Route path="/keys" component={KeysPage} />
          <Route path="/logs" component={LogsPage} />
          <Route path="/redeem" component={RedeemPage} />
          <Route path="/top-up" component={TopUpPage} />
          <Route path="/profile" component={ProfilePage} />
          <Route path="/about" component={AboutPage} />
          <Route path="/admin" component={RequireAdmin}>
            <Route path="/" component={AdminIndexPage} />
            {adminPages.map((page) => (
              <Route path={`/${page.path}`} component={page.component} />
            ))}
          </Route>
          <Route path="*404" component={NotFoundPage} />
        </Route>
      </Route>
    </Router>
  );
}, document.getElementById('app')!);
