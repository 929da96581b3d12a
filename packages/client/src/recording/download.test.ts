import assert from 'node:assert/strict';
import { test } from 'node:test';
import { downloadRecording } from './download.js';

test('the file is offered through an <a download> whose object URL is revoked afterwards', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const clicks: { href: string; download: string; attached: boolean }[] = [];
  const revoked: string[] = [];
  let attached = false;
  const link = {
    href: '',
    download: '',
    rel: '',
    style: { display: '' },
    click: () => clicks.push({ href: link.href, download: link.download, attached }),
    remove: () => (attached = false),
  };
  const fakeDocument = { createElement: () => link, body: { append: () => (attached = true) } };
  Object.defineProperty(globalThis, 'document', { value: fakeDocument, configurable: true });
  t.after(() => Reflect.deleteProperty(globalThis, 'document'));
  t.mock.method(URL, 'createObjectURL', () => 'blob:rec-1');
  t.mock.method(URL, 'revokeObjectURL', (url: string) => revoked.push(url));

  downloadRecording({ blob: new Blob(['x']), fileName: 'recording-1.webm' });
  assert.deepEqual(clicks, [{ href: 'blob:rec-1', download: 'recording-1.webm', attached: true }]);
  assert.equal(attached, false, 'the link is removed');
  assert.deepEqual(revoked, [], 'not revoked while the browser may still read it');
  t.mock.timers.tick(40_000);
  assert.deepEqual(revoked, ['blob:rec-1']);
});
