/**
 * The mapping and normalization steps of SASLprep (RFC 4013 §2.1-2.2, https://www.rfc-editor.org/rfc/rfc4013),
 * which RFC 5389 applies to passwords before the long-term key is computed (RFC 8489 names the OpaqueString
 * profile of RFC 8265 instead; for the passwords TURN deployments use, both are the identity).
 *
 * Implemented: non-ASCII spaces (StringPrep C.1.2) map to U+0020, "commonly mapped to nothing" characters
 * (StringPrep B.1, such as U+00AD SOFT HYPHEN) are removed, then NFKC. Not implemented: the prohibited-output
 * and bidirectional checks (§2.3-2.4); a string with, say, a control character is passed through instead of
 * rejected. The key is only ever compared with a key computed the same way, so this cannot let a wrong
 * password in; it can only fail to match a peer that rejects such passwords outright.
 */

function mappedToNothing(code: number): boolean {
  return (
    code === 0x00ad ||
    code === 0x034f ||
    code === 0x1806 ||
    (code >= 0x180b && code <= 0x180d) ||
    (code >= 0x200b && code <= 0x200d) ||
    code === 0x2060 ||
    (code >= 0xfe00 && code <= 0xfe0f) ||
    code === 0xfeff
  );
}

function nonAsciiSpace(code: number): boolean {
  return (
    code === 0x00a0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** SASLprep mapping and NFKC; printable ASCII is returned as is without any work. */
export function saslprep(input: string): string {
  let ascii = true;
  for (let i = 0; i < input.length; i++) {
    const code = input.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    return input;
  }
  let mapped = '';
  for (const char of input) {
    const code = char.codePointAt(0)!;
    if (mappedToNothing(code)) {
      continue;
    }
    mapped += nonAsciiSpace(code) ? ' ' : char;
  }
  return mapped.normalize('NFKC');
}
