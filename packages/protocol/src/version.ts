/**
 * Protocol version spoken on /ws. A client sends it in `hello`; the server answers
 * `PROTOCOL_VERSION` errors for versions it does not speak.
 */
export const PROTOCOL_VERSION = 1;

/** Versions this build of the server accepts. */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [1];
