/**
 * What the app does to run under the server's Content-Security-Policy (apps/server's security-headers.ts:
 * script-src 'self' without 'unsafe-eval', style-src 'self' without 'unsafe-inline'). Imported first by
 * main.ts, before anything parses with a schema.
 *
 * zod compiles object parsers with `new Function` when it may, and finds out whether it may by trying it
 * once. Under that policy the try fails quietly but the browser still reports it as a violation, so the
 * app tells zod not to try: parsing works the same, without the compiled fast path.
 *
 * The rest of the app keeps to the policy by construction: no inline scripts or event-handler attributes,
 * no `style` attributes or <style> elements (dynamic values go through element.style, which CSP allows),
 * no eval, and only same-origin scripts, styles and fonts.
 */
import { config } from 'zod';

config({ jitless: true });
