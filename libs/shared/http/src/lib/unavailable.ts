/** The problem code of an answer refused because a backing service (PostgreSQL) cannot be reached. */
export const UNAVAILABLE_CODE = 'SERVICE.UNAVAILABLE';
/** Seconds a client should wait before retrying a 503: about one reconnection attempt of the pool. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;
