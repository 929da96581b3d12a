/** Entry point: styles, routes, and the debug handle (window.__rendezvous). */
import './csp.js'; // first: configures zod before any schema is used
import './styles.css';
import './pages.css';
import './call.css';
import './overlay.css';
import './debug.js';
import { landingPage } from './pages/landing.js';
import { networkCheckPage } from './pages/network-check.js';
import { oneToOnePage } from './pages/one-to-one.js';
import { roomPage } from './pages/room.js';
import { navigate, notFound, route, start } from './router.js';
import { messageScreen } from './ui/message-screen.js';

route('/', landingPage);
route('/room/:name', roomPage);
route('/call', oneToOnePage);
route('/call/:peerId', oneToOnePage);
route('/network', networkCheckPage);
notFound((root) => {
  document.title = 'Not found · Rendezvous';
  root.append(
    messageScreen({
      title: 'Nothing here',
      text: 'This address is not part of Rendezvous.',
      actions: [{ label: 'Home', primary: true, onClick: () => navigate('/') }],
    }),
  );
});

const app = document.getElementById('app');
if (app) {
  start(app);
}
