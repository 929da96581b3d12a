/** Entry point: styles, routes, and the debug handle (window.__rendezvous). */
import './csp.js'; // first: configures zod before any schema is used
import './styles.css';
import './pages.css';
import './call.css';
import './overlay.css';
import './call-features/features.css';
import './debug.js';
import { pageTitle, t } from './i18n/index.js';
import { landingPage } from './pages/landing.js';
import { livePage } from './pages/live.js';
import { networkCheckPage } from './pages/network-check.js';
import { oneToOnePage } from './pages/one-to-one.js';
import { pairPage } from './pages/pair.js';
import { roomPage } from './pages/room.js';
import { navigate, notFound, route, start } from './router.js';
import { messageScreen } from './ui/message-screen.js';

route('/', landingPage);
route('/room/:name', roomPage);
route('/live/:name', livePage);
route('/call', oneToOnePage);
route('/call/:peerId', oneToOnePage);
route('/network', networkCheckPage);
route('/pair', pairPage);
notFound((root) => {
  document.title = pageTitle(t('notFound.page'));
  root.append(
    messageScreen({
      title: t('notFound.title'),
      text: t('notFound.text'),
      actions: [{ label: t('common.home'), primary: true, onClick: () => navigate('/') }],
    }),
  );
});

const app = document.getElementById('app');
if (app) {
  start(app);
}
