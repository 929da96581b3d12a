/** What /pair says about a refused blob or a failed step, by code, in the current language. */
import { pairingErrorCode, PAIRING_MAX_AGE_MS, RendezvousError } from '@rendezvous/client';
import { describeError } from '../errors-text.js';
import { t } from '../i18n/index.js';

export interface PairProblem {
  /** The stable code (a pairing code, or the SDK's), or null for an error without one. */
  code: string | null;
  text: string;
}

/** The message for `error` met while reading a blob that should be an `expected` one. */
export function pairProblem(error: unknown, expected: 'offer' | 'answer'): PairProblem {
  const code = pairingErrorCode(error);
  if (code !== null) {
    const detail = (error as RendezvousError).detail;
    const reason = detail?.['reason'];
    switch (code) {
      case 'PAIRING_WRONG_KIND':
        return { code, text: t(expected === 'answer' ? 'pair.error.wrongKindOffer' : 'pair.error.wrongKindAnswer') };
      case 'PAIRING_STALE': {
        const maxSeconds = Number(detail?.['maxAgeSeconds'] ?? PAIRING_MAX_AGE_MS / 1000);
        return { code, text: t('pair.error.PAIRING_STALE', { minutes: Math.round(maxSeconds / 60) }) };
      }
      case 'PAIRING_MALFORMED':
        return { code, text: t(reason === 'version' ? 'pair.error.version' : 'pair.error.PAIRING_MALFORMED') };
      default:
        return { code, text: t(`pair.error.${code}`) };
    }
  }
  if (error instanceof RendezvousError && error.code === 'UNSUPPORTED_BROWSER') {
    return { code: error.code, text: t('pair.error.unsupported') };
  }
  const described = describeError(error);
  return { code: described.code, text: t('pair.error.generic', { detail: described.title }) };
}
