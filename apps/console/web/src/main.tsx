import { render } from 'solid-js/web';
import { Route, Router } from '@solidjs/router';
import { RequireSignIn } from './components/require-sign-in.tsx';
import { ChangePasswordPage } from './routes/change-password.tsx';
import { HomePage } from './routes/home.tsx';
import { LoginPage } from './routes/login.tsx';
import './styles.css';

render(
  () => (
    <Router>
      <Route path="/login" component={LoginPage} />
      <Route path="/" component={RequireSignIn}>
        <Route path="/change-password" component={ChangePasswordPage} />
        <Route path={['/', '/admin', '/admin/*']} component={HomePage} />
      </Route>
    </Router>
  ),
  document.getElementById('app')!,
);
