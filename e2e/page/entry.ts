import * as Rendezvous from '@rendezvous/client';
import * as probe from './probe.js';

probe.instrument();

declare global {
  interface Window {
    Rendezvous: typeof Rendezvous;
    probe: typeof probe;
    /** Scratch space for objects a test keeps between evaluate calls. */
    t: Record<string, unknown>;
  }
}

window.Rendezvous = Rendezvous;
window.probe = probe;
window.t = {};
