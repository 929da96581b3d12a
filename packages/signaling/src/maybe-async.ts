/**
 * Hooks (authenticate, admit, iceServers) may answer with a value or a promise. A plain answer is used at
 * once, so a hello or a join with synchronous hooks (or none) is handled without a promise or a microtask;
 * a promise is waited for, and the steps after it run when it settles.
 */
export type MaybePromise<T> = T | Promise<T>;

export function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

/** `next(value)`: at once when `value` is plain, once it settles when it is a promise. */
export function andThen<T, R>(value: T | PromiseLike<T>, next: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return isPromiseLike(value) ? Promise.resolve(value).then(next) : next(value);
}

/**
 * Calls `hook` and goes on with `onValue` (at once when it answers with a plain value), or with `onError`
 * when it throws or its promise rejects. What `onValue` throws is not caught here.
 */
export function callHook<T, R>(
  hook: () => T | PromiseLike<T>,
  onValue: (value: T) => MaybePromise<R>,
  onError: (error: unknown) => MaybePromise<R>,
): MaybePromise<R> {
  let value: T | PromiseLike<T>;
  try {
    value = hook();
  } catch (error) {
    return onError(error);
  }
  return isPromiseLike(value) ? Promise.resolve(value).then(onValue, onError) : onValue(value);
}
